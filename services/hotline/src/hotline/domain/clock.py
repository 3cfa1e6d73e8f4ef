"""The SLA clock (时限监控): about to be overdue (即将超期), overdue (超期) and automatic urging (自动催办).

A sweep looks at every open ticket; each notice is given once per clock (a reopening or an approved extension
starts a new one). Points are shares of the time between the clock's start (acceptance or reopening) and the
due time, configured per stack (defaults: due soon at 80%, automatic urging at 90%).

Before the notices, a provisional due time (预计, docs/working-days.md) is counted again on the calendar as it is
now — every due time, when a year's official schedule changed — so once a year's official arrangement arrives no
notice is given from a due time it moved. A ticket handed down to a child stack tells the child (下派).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sunshine.events.v1 import hotline_pb2 as ev
from sunshine_kit.timestamps import CHINA_TIME, to_timestamp

from hotline.domain.cross_level import Downward, recount_below
from hotline.domain.loop import Act, Params, apply
from hotline.domain.ticket import Ticket
from hotline.domain.time_limits import Due, TimeLimits, working_days_from
from hotline.domain.vocabulary import OPEN_STATES, TicketState
from hotline.domain.workflow import RULES, Action, Actor

DUE_SOON, OVERDUE, AUTO_URGED = "due_soon", "overdue", "auto_urged"
SWEEPER = "sla-sweep"
RECOMPUTE_DUE = "recompute_due"
CALENDAR = "calendar"


@dataclass(frozen=True)
class ClockPolicy:
    due_soon_at: float = 0.8
    auto_urge_at: float = 0.9

    def __post_init__(self) -> None:
        if not (0 < self.due_soon_at <= 1 and 0 < self.auto_urge_at <= 1):
            raise ValueError("clock points are shares of the time limit, in (0, 1]")

    def tick(
        self,
        ticket: Ticket,
        now: datetime,
        limits: TimeLimits,
        everything: bool = False,
        downward: Downward | None = None,
    ) -> None:
        """Give the notices that are due; a closed ticket has no clock. `everything`: a year's official schedule
        changed, count every due time again (`recompute_due`); `downward`: the child stack it was handed down to."""
        if ticket.state not in OPEN_STATES:
            return
        recompute_due(ticket, now, limits, everything, downward)
        elapsed = self._elapsed_share(ticket, now)
        if elapsed >= self.due_soon_at and now < ticket.due_at:
            self._notice(ticket, DUE_SOON, ev.TicketDueSoon, now)
        if now >= ticket.due_at:
            self._notice(ticket, OVERDUE, ev.TicketOverdue, now)
        if elapsed >= self.auto_urge_at and AUTO_URGED not in ticket.clock_notices and self._may_urge(ticket):
            ticket.clock_notices |= {AUTO_URGED}
            apply(ticket, Action.URGE, Act(Actor.SYSTEM, SWEEPER, now, "自动催办"), Params(), limits)

    @staticmethod
    def _elapsed_share(ticket: Ticket, now: datetime) -> float:
        total = (ticket.due_at - ticket.clock_started_at).total_seconds()
        return 1.0 if total <= 0 else (now - ticket.clock_started_at).total_seconds() / total

    @staticmethod
    def _notice(ticket: Ticket, notice: str, event_type: type, now: datetime) -> None:
        if notice in ticket.clock_notices:
            return
        ticket.clock_notices |= {notice}
        ticket.updated_at = now
        due_at = to_timestamp(ticket.due_at)
        ticket.emit(event_type, now, unit=ticket.lead_unit, due_at=due_at, due_at_provisional=ticket.due_at_provisional)

    @staticmethod
    def _may_urge(ticket: Ticket) -> bool:
        """Not a ticket handed down (下派): the child stack's own sweep urges the ticket it works on."""
        return ticket.state in RULES[Action.URGE].sources and ticket.state is not TicketState.HANDED_DOWN


def recompute_due(
    ticket: Ticket, now: datetime, limits: TimeLimits, everything: bool = False, downward: Downward | None = None
) -> None:
    """Provisional due times (every due time with `everything`) counted again from the clock's start and the
    dispatch, with the working days they were counted with; one history entry and one event when one moved or its
    provisional flag changed (`due_moved`). A due time not counted here in working days is left as it is: a limit
    in hours, a time a person chose (an approved extension), the origin's due time of a ticket handed down from the
    parent (the origin counts it and tells this stack, domain/from_above.py)."""
    before = due_times(ticket)
    due = _handling_due(ticket, limits, everything)
    if due is not None:
        ticket.set_due(due)
    sign = _signing_due(ticket, limits, everything)
    if sign is not None:
        ticket.set_sign_due(sign)
    if due_times(ticket) != before:
        due_moved(ticket, now, before, CALENDAR, downward)


def _handling_due(ticket: Ticket, limits: TimeLimits, everything: bool) -> Due | None:
    if ticket.due_working_days is not None:
        return _again(ticket.due_working_days, ticket.due_at_provisional, ticket.clock_started_at, limits, everything)
    if ticket.due_at_provisional and ticket.origin is None:  # counted before the count was kept (hotline 0008)
        return limits.due_at(ticket.category, ticket.urgency, ticket.clock_started_at)
    return None


def _signing_due(ticket: Ticket, limits: TimeLimits, everything: bool) -> Due | None:
    if ticket.dispatched_at is None:
        return None
    if ticket.sign_due_working_days is not None:
        counted = ticket.sign_due_working_days
        return _again(counted, ticket.sign_due_at_provisional, ticket.dispatched_at, limits, everything)
    if ticket.sign_due_at_provisional:  # counted before the count was kept (hotline 0008)
        return limits.sign_due_at(ticket.urgency, ticket.dispatched_at)
    return None


def _again(working_days: int, provisional: bool, start: datetime, limits: TimeLimits, everything: bool) -> Due | None:
    return working_days_from(start, working_days, limits.calendar) if provisional or everything else None


def due_moved(
    ticket: Ticket, now: datetime, before: tuple[object, ...], actor_id: str, downward: Downward | None
) -> None:
    """The due times counted again (`before`: `due_times` until then): a history entry by `actor_id` and a
    TicketDueRecomputed. A due-soon or overdue notice given from a due time that moved later and has not passed
    is withdrawn (the sweep gives it again when it is due). A ticket handed down to a child stack (`downward`)
    tells the child its new handling due time."""
    old_due, old_due_provisional, old_sign, _ = before
    assert isinstance(old_due, datetime)
    later = old_due < ticket.due_at and now < ticket.due_at
    withdrawn = later and bool(ticket.clock_notices & {DUE_SOON, OVERDUE})
    if withdrawn:
        ticket.clock_notices -= {DUE_SOON, OVERDUE}
    note = f"按国务院办公厅公布的放假安排重算办结时限：{_china(old_due)} → {_china(ticket.due_at)}"
    ticket.record(RECOMPUTE_DUE, Actor.SYSTEM, actor_id, now, ticket.state, note)
    ticket.emit(
        ev.TicketDueRecomputed,
        now,
        unit=ticket.lead_unit,
        old_due_at=to_timestamp(old_due),
        due_at=to_timestamp(ticket.due_at),
        due_at_provisional=ticket.due_at_provisional,
        old_sign_due_at=to_timestamp(old_sign) if isinstance(old_sign, datetime) else None,
        sign_due_at=to_timestamp(ticket.sign_due_at) if ticket.sign_due_at else None,
        sign_due_at_provisional=ticket.sign_due_at_provisional,
        overdue_withdrawn=withdrawn,
    )
    handling_moved = (old_due, old_due_provisional) != (ticket.due_at, ticket.due_at_provisional)
    if handling_moved and ticket.state is TicketState.HANDED_DOWN and downward is not None:
        recount_below(ticket, downward, old_due, now)


def due_times(ticket: Ticket) -> tuple[object, ...]:
    """The handling and signing due times and their provisional flags."""
    return ticket.due_at, ticket.due_at_provisional, ticket.sign_due_at, ticket.sign_due_at_provisional


def _china(moment: datetime) -> str:
    return f"{moment.astimezone(CHINA_TIME):%Y-%m-%d %H:%M}"
