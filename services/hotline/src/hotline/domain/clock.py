"""The SLA clock (时限监控): about to be overdue (即将超期), overdue (超期) and automatic urging (自动催办).

A sweep looks at every open ticket; each notice is given once per clock (a reopening or an approved extension
starts a new one). Points are shares of the time between the clock's start (acceptance or reopening) and the
due time, configured per stack (defaults: due soon at 80%, automatic urging at 90%).

Before the notices, a provisional due time (预计, docs/working-days.md) is counted again on the calendar as it is
now, so once a year's official arrangement arrives no notice is given from a due time it moved.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sunshine.events.v1 import hotline_pb2 as ev
from sunshine_kit.timestamps import CHINA_TIME, to_timestamp

from hotline.domain.loop import Act, Params, apply
from hotline.domain.ticket import Ticket
from hotline.domain.time_limits import TimeLimits
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

    def tick(self, ticket: Ticket, now: datetime, limits: TimeLimits) -> None:
        """Give the notices that are due; a closed ticket has no clock."""
        if ticket.state not in OPEN_STATES:
            return
        recompute_due(ticket, now, limits)
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


def recompute_due(ticket: Ticket, now: datetime, limits: TimeLimits) -> None:
    """Provisional due times counted again from the clock's start and the dispatch; one history entry and one
    event when one moved or became official. A due-soon or overdue notice given from a due time that moved later
    and has not passed is withdrawn (the sweep gives it again when it is due). A ticket handed down from the
    parent keeps the due time the origin promised."""
    if ticket.origin is not None or not (ticket.due_at_provisional or ticket.sign_due_at_provisional):
        return
    before = _due_times(ticket)
    old_due, old_sign = ticket.due_at, ticket.sign_due_at
    if ticket.due_at_provisional:
        due = limits.due_at(ticket.category, ticket.urgency, ticket.clock_started_at)
        ticket.due_at, ticket.due_at_provisional = due.at, due.provisional
    if ticket.sign_due_at_provisional and ticket.dispatched_at is not None:
        sign = limits.sign_due_at(ticket.urgency, ticket.dispatched_at)
        ticket.sign_due_at, ticket.sign_due_at_provisional = sign.at, sign.provisional
    if _due_times(ticket) == before:
        return
    withdrawn = old_due < ticket.due_at and now < ticket.due_at and bool(ticket.clock_notices & {DUE_SOON, OVERDUE})
    if withdrawn:
        ticket.clock_notices -= {DUE_SOON, OVERDUE}
    note = f"按国务院办公厅公布的放假安排重算办结时限：{_china(old_due)} → {_china(ticket.due_at)}"
    ticket.record(RECOMPUTE_DUE, Actor.SYSTEM, CALENDAR, now, ticket.state, note)
    ticket.emit(
        ev.TicketDueRecomputed,
        now,
        unit=ticket.lead_unit,
        old_due_at=to_timestamp(old_due),
        due_at=to_timestamp(ticket.due_at),
        due_at_provisional=ticket.due_at_provisional,
        old_sign_due_at=to_timestamp(old_sign) if old_sign else None,
        sign_due_at=to_timestamp(ticket.sign_due_at) if ticket.sign_due_at else None,
        sign_due_at_provisional=ticket.sign_due_at_provisional,
        overdue_withdrawn=withdrawn,
    )


def _due_times(ticket: Ticket) -> tuple[object, ...]:
    return ticket.due_at, ticket.due_at_provisional, ticket.sign_due_at, ticket.sign_due_at_provisional


def _china(moment: datetime) -> str:
    return f"{moment.astimezone(CHINA_TIME):%Y-%m-%d %H:%M}"
