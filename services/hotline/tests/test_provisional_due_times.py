"""Every hotline limit that runs into 2027, which neither the installed chinesecalendar 1.11.0 nor an override
file covers, still gives a due time, and says it is provisional (预计); the day before it crosses, it does not.

Provisional 2027 (docs/working-days.md): 01-01 (元旦, a Friday) off; the weekend 01-02/03 off; no 调休 weekend.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from hotline.domain.dispatch import Assignment
from hotline.domain.loop import Act, Params, apply
from hotline.domain.ticket import Ticket
from hotline.domain.vocabulary import Category, Urgency
from hotline.domain.workflow import Action, Actor
from sunshine.events.v1 import hotline_pb2 as events
from sunshine_kit.timestamps import CHINA_TIME

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
