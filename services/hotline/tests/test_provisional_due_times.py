"""Every hotline limit that runs into 2027, which neither the installed chinesecalendar 1.11.0 nor an override
file covers, still gives a due time, and says it is provisional (预计); the day before it crosses, it does not.

Provisional 2027 (docs/working-days.md): 01-01 (元旦, a Friday) off; the weekend 01-02/03 off; no 调休 weekend.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

import pytest
from hotline.domain.clock import ClockPolicy
from hotline.domain.dispatch import Assignment
from hotline.domain.loop import Act, Params, apply
from hotline.domain.ticket import Ticket
from hotline.domain.time_limits import TimeLimits
from hotline.domain.vocabulary import Category, Urgency
from hotline.domain.workflow import Action, Actor
from sunshine.events.v1 import hotline_pb2 as events
from sunshine_kit.timestamps import CHINA_TIME
from sunshine_kit.working_days import WorkingDayCalendar

from .builders import LIMITS, intake

FIRST_WORKING_DAY_2027 = date(2027, 1, 4)


def at_nine(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 9, 0, tzinfo=CHINA_TIME)


def end_of_china_day(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 23, 59, 59, tzinfo=CHINA_TIME)


@pytest.mark.parametrize(
    ("category", "first_provisional"),
    [
        (Category.COMPLAINT, date(2026, 12, 11)),  # 15 working days
        (Category.REPORT, date(2026, 12, 11)),
        (Category.SUGGESTION, date(2026, 12, 18)),  # 10
        (Category.PRAISE, date(2026, 12, 18)),
        (Category.INQUIRY, date(2026, 12, 29)),  # 3
        (Category.HELP, date(2026, 12, 29)),
    ],
)
def test_a_handling_limit_into_2027_is_due_provisionally(category: Category, first_provisional: date) -> None:
    ticket = Ticket.accept(intake(category=category), at_nine(first_provisional), LIMITS)
    assert (ticket.due_at, ticket.due_at_provisional) == (end_of_china_day(FIRST_WORKING_DAY_2027), True)
    (accepted,) = ticket.events
    assert isinstance(accepted, events.TicketAccepted) and accepted.due_at_provisional

    day_before = Ticket.accept(intake(category=category), at_nine(first_provisional - timedelta(days=1)), LIMITS)
    assert (day_before.due_at, day_before.due_at_provisional) == (end_of_china_day(date(2026, 12, 31)), False)


def test_the_signing_limit_from_new_years_eve_is_due_provisionally() -> None:
    ticket = Ticket.accept(intake(), at_nine(date(2026, 12, 31)), LIMITS)
    apply(ticket, Action.DISPATCH, Act(Actor.OPERATOR, "op", at_nine(date(2026, 12, 31))), _to_unit(), LIMITS)
    assert (ticket.sign_due_at, ticket.sign_due_at_provisional) == (end_of_china_day(FIRST_WORKING_DAY_2027), True)
    dispatched = ticket.events[-1]
    assert isinstance(dispatched, events.TicketDispatched) and dispatched.sign_due_at_provisional

    earlier = Ticket.accept(intake(), at_nine(date(2026, 12, 30)), LIMITS)
    apply(earlier, Action.DISPATCH, Act(Actor.OPERATOR, "op", at_nine(date(2026, 12, 30))), _to_unit(), LIMITS)
    assert (earlier.sign_due_at, earlier.sign_due_at_provisional) == (end_of_china_day(date(2026, 12, 31)), False)


def test_limits_in_hours_are_never_provisional() -> None:
    ticket = Ticket.accept(intake(urgency=Urgency.URGENT), at_nine(date(2026, 12, 31)), LIMITS)
    assert (ticket.due_at, ticket.due_at_provisional) == (at_nine(date(2027, 1, 1)), False)


def test_a_limit_inside_2027_counts_the_statutory_spring_festival() -> None:
    # 除夕 02-05 to 初三 02-08 and the make-up days 02-09 and 02-10 are off: 02-11 is the 2nd working day.
    ticket = Ticket.accept(intake(category=Category.INQUIRY), at_nine(date(2027, 2, 3)), LIMITS)
    assert (ticket.due_at, ticket.due_at_provisional) == (end_of_china_day(date(2027, 2, 12)), True)


def _to_unit() -> Params:
    return Params(assignment=Assignment("cgj"))


# --- counted again once the official arrangement is in the override file (illustrative, not the real 2027) ------

LONGER_BREAK = {
    "2027": {"holidays": ["2027-01-01", *(f"2027-02-{d:02d}" for d in range(5, 13))], "working_weekends": []}
}


def test_a_sweep_after_the_arrangement_arrived_moves_the_due_time_and_withdraws_the_overdue_notice(tmp_path) -> None:  # type: ignore[no-untyped-def]
    override = tmp_path / "calendar.json"
    override.write_text("{}")
    limits = TimeLimits(WorkingDayCalendar(override))
    policy = ClockPolicy()
    ticket = Ticket.accept(intake(category=Category.INQUIRY), at_nine(date(2027, 2, 3)), limits)
    # 02-04, then 02-11 and 02-12 after the provisional break (02-05..02-10)
    assert (ticket.due_at, ticket.due_at_provisional) == (end_of_china_day(date(2027, 2, 12)), True)
    ticket.events.clear()
    policy.tick(ticket, at_nine(date(2027, 2, 13)), limits)
    assert any(isinstance(e, events.TicketOverdue) for e in ticket.events)  # from the provisional due time
    ticket.events.clear()

    override.write_text(json.dumps(LONGER_BREAK))
    assert limits.calendar.reload() == {2027}
    policy.tick(ticket, at_nine(date(2027, 2, 13)), limits)

    # 02-11 and 02-12 are off officially: 02-04, 02-15, 02-16.
    assert (ticket.due_at, ticket.due_at_provisional) == (end_of_china_day(date(2027, 2, 16)), False)
    (recomputed,) = ticket.events
    assert isinstance(recomputed, events.TicketDueRecomputed)
    assert recomputed.old_due_at.ToDatetime(tzinfo=UTC) == end_of_china_day(date(2027, 2, 12))
    assert recomputed.due_at.ToDatetime(tzinfo=UTC) == end_of_china_day(date(2027, 2, 16))
    assert recomputed.overdue_withdrawn and not recomputed.due_at_provisional
    entry = ticket.history[-1]
    assert (entry.action, entry.actor, entry.to_state) == ("recompute_due", Actor.SYSTEM, ticket.state)
    assert "2027-02-12 23:59 → 2027-02-16 23:59" in entry.note

    ticket.events.clear()
    policy.tick(ticket, at_nine(date(2027, 2, 14)), limits)
    assert not any(isinstance(e, events.TicketOverdue) for e in ticket.events)  # not overdue before 02-16 ends
    policy.tick(ticket, at_nine(date(2027, 2, 17)), limits)
    assert any(isinstance(e, events.TicketOverdue) for e in ticket.events)
