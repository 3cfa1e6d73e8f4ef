"""Due times counted again when the calendar changes, beyond provisional ones: every due time counted in working
days when a year's official schedule is corrected, with the count it was counted with; and a handed-down
ticket's due time sent down to the child, which takes it under its own rules and passes it on down.

The arrangements are illustrative test data, not the State Council's. Provisional 2027: 02-05 (除夕) to 02-10
off; LONGER_BREAK also 02-11 and 02-12.
"""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from hotline.domain import from_above
from hotline.domain.clock import ClockPolicy, recompute_due
from hotline.domain.cross_level import Downward, received
from hotline.domain.dispatch import Assignment
from hotline.domain.loop import Act, Params, apply
from hotline.domain.ticket import Ticket
from hotline.domain.time_limits import TimeLimits, default_handling
from hotline.domain.vocabulary import Category, TicketState
from hotline.domain.workflow import Action, Actor
from sunshine.dispatch.v1 import hotline_pb2 as down
from sunshine.events.v1 import hotline_pb2 as ev
from sunshine_kit.testing.calendars import corrected
from sunshine_kit.timestamps import CHINA_TIME, from_timestamp
from sunshine_kit.working_days import WorkingDayCalendar

from .builders import intake
from .test_provisional_due_times import LONGER_BREAK, at_nine, end_of_china_day

TO_CHILD = Params(
    assignment=Assignment("stack-510104"), lead_unit_kind="child_stack", downward=Downward("510100", "510104")
)
ON_DOWN = Downward("510104", "510104001")


@pytest.fixture
def override(tmp_path: Path) -> Path:
    path = tmp_path / "calendar.json"
    path.write_text("{}")
    return path


@pytest.fixture
def limits(override: Path) -> TimeLimits:
    return TimeLimits(WorkingDayCalendar(override))


def write(override: Path, limits: TimeLimits, schedule: dict) -> None:  # type: ignore[type-arg]
    override.write_text(json.dumps(schedule))
    limits.calendar.reload()


def act(when: datetime, actor: Actor = Actor.OPERATOR) -> Act:
    return Act(actor, f"{actor}-1", when)


def end_of_day(month: int, day: int) -> datetime:
    return end_of_china_day(date(2026, month, day))


def extended(ticket: Ticket, until: datetime, on: date, limits: TimeLimits) -> None:
    """Dispatched to a unit here, which signs and is granted more time, until `until`."""
    when = at_nine(on)
    apply(ticket, Action.DISPATCH, act(when), Params(assignment=Assignment("cgj")), limits)
    apply(ticket, Action.SIGN, act(when, Actor.UNIT), Params(), limits)
    apply(ticket, Action.REQUEST_EXTENSION, Act(Actor.UNIT, "u", when, "需现场勘查"), Params(until=until), limits)
    apply(ticket, Action.DECIDE_EXTENSION, act(when), Params(approved=True), limits)


# --- a year already official, corrected ----------------------------------------------------------------------------


def test_a_corrected_official_year_moves_every_due_time_counted_through_it(override, limits) -> None:  # type: ignore[no-untyped-def]
    ticket = Ticket.accept(intake(category=Category.INQUIRY), at_nine(date(2026, 11, 18)), limits)
    apply(ticket, Action.DISPATCH, act(at_nine(date(2026, 11, 19))), Params(assignment=Assignment("cgj")), limits)
    # 3 working days: 11-19, 11-20, 11-23; signing 1: 11-20.
    assert (ticket.due_at, ticket.sign_due_at) == (end_of_china_day(date(2026, 11, 23)), end_of_day(11, 20))
    ticket.events.clear()

    write(override, limits, corrected(2026, "2026-11-20"))
    recompute_due(ticket, at_nine(date(2026, 11, 20)), limits)
    assert ticket.events == []  # official and not provisional: only a changed year counts it again
    recompute_due(ticket, at_nine(date(2026, 11, 20)), limits, everything=True)

    assert (ticket.due_at, ticket.sign_due_at) == (end_of_day(11, 24), end_of_day(11, 23))
    (event,) = ticket.events
    assert isinstance(event, ev.TicketDueRecomputed) and not event.due_at_provisional
    assert from_timestamp(event.old_sign_due_at) == end_of_china_day(date(2026, 11, 20))


def test_a_due_time_is_counted_again_with_the_limit_it_was_counted_with(override) -> None:  # type: ignore[no-untyped-def]
    calendar = WorkingDayCalendar(override)
    ticket = Ticket.accept(intake(category=Category.INQUIRY), at_nine(date(2027, 2, 3)), TimeLimits(calendar))
    longer = {**default_handling(), "NORMAL": {**default_handling()["NORMAL"], "INQUIRY": "5d"}}
    reconfigured = TimeLimits(calendar, handling=longer)  # the stack's limits changed since
    write(override, reconfigured, LONGER_BREAK)
    recompute_due(ticket, at_nine(date(2027, 2, 4)), reconfigured)
    # Still 3 working days: 02-04, 02-15, 02-16 (02-11 and 02-12 off officially).
    assert (ticket.due_at, ticket.due_at_provisional) == (end_of_china_day(date(2027, 2, 16)), False)


def test_an_approved_extension_is_a_time_a_person_chose_and_stays(override, limits) -> None:  # type: ignore[no-untyped-def]
    ticket = Ticket.accept(intake(category=Category.INQUIRY), at_nine(date(2026, 11, 18)), limits)
    chosen = datetime(2026, 11, 27, 18, tzinfo=CHINA_TIME)
    extended(ticket, chosen, date(2026, 11, 19), limits)
    write(override, limits, corrected(2026, "2026-11-20", "2026-11-23"))
    ticket.events.clear()
    recompute_due(ticket, at_nine(date(2026, 11, 20)), limits, everything=True)
    assert ticket.due_at == chosen and ticket.due_working_days is None
    assert {type(e) for e in ticket.events} <= {ev.TicketDueRecomputed}  # the signing due time may move, not this


# --- handed down: the origin tells the child, the child takes it under its own rules --------------------------------


def handed_down(limits: TimeLimits) -> Ticket:
    ticket = Ticket.accept(intake(category=Category.INQUIRY), at_nine(date(2027, 2, 3)), limits)
    apply(ticket, Action.DISPATCH, act(at_nine(date(2027, 2, 3))), TO_CHILD, limits)
    return ticket


def test_the_origin_sends_its_recounted_due_time_down(override, limits) -> None:  # type: ignore[no-untyped-def]
    origin = handed_down(limits)
    origin.handed_down.clear()
    write(override, limits, LONGER_BREAK)
    ClockPolicy().tick(origin, at_nine(date(2027, 2, 4)), limits, downward=TO_CHILD.downward)

    [(child, work)] = origin.handed_down
    assert child == "510104" and isinstance(work, down.HandedDownTicketDueRecomputed)
    assert (work.origin_division, work.origin_ticket_id, work.due_at_provisional) == ("510100", origin.id, False)
    assert from_timestamp(work.old_due_at) == end_of_china_day(date(2027, 2, 12))
    assert from_timestamp(work.due_at) == end_of_china_day(date(2027, 2, 16))


def received_below(limits: TimeLimits) -> tuple[Ticket, down.HandedDownTicketDueRecomputed]:
    """The child's ticket for the origin's work, and the origin's recount of it once the arrangement arrived."""
    origin = handed_down(limits)
    [(_, work)] = origin.handed_down
    child = received(work, at_nine(date(2027, 2, 3)), "2027020300000001")
    assert (child.due_at, child.due_at_provisional, child.due_working_days) == (origin.due_at, True, None)
    origin.handed_down.clear()
    write_arrangement(limits)
    recompute_due(origin, at_nine(date(2027, 2, 4)), limits, downward=TO_CHILD.downward)
    [(_, recount)] = origin.handed_down
    child.events.clear()
    return child, recount  # type: ignore[return-value]


def write_arrangement(limits: TimeLimits) -> None:
    assert limits.calendar.override_file is not None
    write(limits.calendar.override_file, limits, LONGER_BREAK)


def test_the_child_takes_the_origins_new_due_time(limits) -> None:  # type: ignore[no-untyped-def]
    child, recount = received_below(limits)
    child.clock_notices = frozenset({"due_soon"})
    assert from_above.due_recomputed(child, recount, at_nine(date(2027, 2, 5)), None)
    assert (child.due_at, child.due_at_provisional) == (end_of_china_day(date(2027, 2, 16)), False)
    assert child.clock_notices == frozenset()  # given from the due time that moved later
    entry = child.history[-1]
    assert (entry.action, entry.actor, entry.actor_id) == ("recompute_due", Actor.SYSTEM, "stack-510100")
    [event] = child.events
    assert isinstance(event, ev.TicketDueRecomputed) and event.overdue_withdrawn
    assert not from_above.due_recomputed(child, recount, at_nine(date(2027, 2, 5)), None)  # taken once


def test_an_extension_approved_at_the_child_stands(limits) -> None:  # type: ignore[no-untyped-def]
    child, recount = received_below(limits)
    chosen = child.due_at + timedelta(days=10)
    extended(child, chosen, date(2027, 2, 4), limits)
    assert not from_above.due_recomputed(child, recount, at_nine(date(2027, 2, 5)), None)
    assert child.due_at == chosen


def test_a_closed_child_ticket_keeps_its_due_time(limits) -> None:  # type: ignore[no-untyped-def]
    child, recount = received_below(limits)
    apply(child, Action.ANSWER_DIRECTLY, act(at_nine(date(2027, 2, 4))), Params(answer="已答复"), limits)
    assert child.state is TicketState.CLOSED
    assert not from_above.due_recomputed(child, recount, at_nine(date(2027, 2, 5)), None)


def test_a_child_that_handed_it_further_down_passes_it_on(limits) -> None:  # type: ignore[no-untyped-def]
    child, recount = received_below(limits)
    further = Params(assignment=Assignment("stack-510104001"), lead_unit_kind="child_stack", downward=ON_DOWN)
    apply(child, Action.DISPATCH, act(at_nine(date(2027, 2, 4))), further, limits)
    child.handed_down.clear()
    assert from_above.due_recomputed(child, recount, at_nine(date(2027, 2, 5)), ON_DOWN)
    [(township, work)] = child.handed_down
    assert township == "510104001" and isinstance(work, down.HandedDownTicketDueRecomputed)
    assert (work.origin_division, work.origin_ticket_id) == ("510104", child.id)
    assert from_timestamp(work.due_at) == end_of_china_day(date(2027, 2, 16))


def test_the_child_counts_its_own_signing_due_time_again(limits) -> None:  # type: ignore[no-untyped-def]
    child, _ = received_below(limits)
    write(limits.calendar.override_file, limits, {})  # back to provisional before the child dispatches
    apply(child, Action.DISPATCH, act(at_nine(date(2027, 2, 10))), Params(assignment=Assignment("jd001")), limits)
    assert (child.sign_due_at, child.sign_due_at_provisional) == (end_of_china_day(date(2027, 2, 11)), True)
    write_arrangement(limits)
    recompute_due(child, at_nine(date(2027, 2, 10)), limits)
    assert (child.sign_due_at, child.sign_due_at_provisional) == (end_of_china_day(date(2027, 2, 15)), False)
    assert child.due_at_provisional  # the origin's due time: only the origin counts it
