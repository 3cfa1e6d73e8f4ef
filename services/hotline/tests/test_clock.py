"""The SLA clock: due soon (即将超期), overdue (超期), automatic urging (自动催办), once each, across holidays."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hotline.domain.clock import AUTO_URGED, DUE_SOON, OVERDUE, ClockPolicy
from hotline.domain.vocabulary import Category
from hotline.domain.vocabulary import TicketState as S
from sunshine.events.v1 import hotline_pb2 as ev
from sunshine_kit.timestamps import CHINA_TIME

from .builders import LIMITS, ticket_in

POLICY = ClockPolicy(due_soon_at=0.8, auto_urge_at=0.9)
# Friday 2026-09-25 10:00, itself a 中秋 holiday (09-25..09-27 off; Sunday 09-20 was worked):
# an inquiry (3 working days) runs 09-28, 09-29, 09-30 and is due 09-30 23:59:59;
# a complaint (15 working days) crosses 国庆 (10-01..10-07 off, 10-10 worked): 09-28..09-30, 10-08..10-10,
# 10-12..10-16, 10-19..10-22, due 10-22.
ACCEPTED = datetime(2026, 9, 25, 10, 0, tzinfo=CHINA_TIME).astimezone(UTC)


def names(ticket) -> list[str]:  # type: ignore[no-untyped-def]
    return [type(e).__name__ for e in ticket.events]


def test_a_complaint_across_national_day_is_due_on_the_22nd() -> None:
    ticket = ticket_in(S.SIGNED, at=ACCEPTED)
    assert ticket.due_at == datetime(2026, 10, 22, 23, 59, 59, tzinfo=CHINA_TIME)


def test_nothing_happens_early_on() -> None:
    ticket = ticket_in(S.HANDLING, at=ACCEPTED)
    ticket.events.clear()
    POLICY.tick(ticket, ACCEPTED + timedelta(days=5), LIMITS)
    assert ticket.events == [] and ticket.clock_notices == frozenset()


def test_due_soon_then_urged_then_overdue_each_once() -> None:
    ticket = ticket_in(S.HANDLING, at=ACCEPTED)
    ticket.events.clear()
    span = ticket.due_at - ticket.clock_started_at
    for share in (0.85, 0.86):
        POLICY.tick(ticket, ticket.clock_started_at + span * share, LIMITS)
    assert names(ticket) == ["TicketDueSoon"]
    for share in (0.95, 0.96):
        POLICY.tick(ticket, ticket.clock_started_at + span * share, LIMITS)
    assert names(ticket) == ["TicketDueSoon", "TicketUrged"]
    assert ticket.events[-1].automatic and ticket.history[-1].actor_id == "sla-sweep"
    for extra in (0, 1):
        POLICY.tick(ticket, ticket.due_at + timedelta(seconds=extra), LIMITS)
    assert names(ticket) == ["TicketDueSoon", "TicketUrged", "TicketOverdue"]
    assert ticket.clock_notices == {DUE_SOON, AUTO_URGED, OVERDUE}


def test_an_inquiry_accepted_friday_is_overdue_after_the_third_working_day() -> None:
    ticket = ticket_in(S.HANDLING, at=ACCEPTED, category=Category.INQUIRY)
    assert ticket.due_at == datetime(2026, 9, 30, 23, 59, 59, tzinfo=CHINA_TIME)
    ticket.events.clear()
    POLICY.tick(ticket, datetime(2026, 10, 1, 0, 0, tzinfo=CHINA_TIME), LIMITS)
    # Past due without a due-soon notice (never swept in between): overdue, and the urge not yet given.
    assert names(ticket) == ["TicketOverdue", "TicketUrged"]
    assert isinstance(ticket.events[0], ev.TicketOverdue)


def test_a_closed_ticket_has_no_clock() -> None:
    ticket = ticket_in(S.CLOSED, at=ACCEPTED)
    ticket.events.clear()
    POLICY.tick(ticket, ticket.due_at + timedelta(days=30), LIMITS)
    assert ticket.events == []


def test_an_overdue_accepted_ticket_is_flagged_but_not_urged() -> None:
    ticket = ticket_in(S.ACCEPTED, at=ACCEPTED)
    ticket.events.clear()
    POLICY.tick(ticket, ticket.due_at + timedelta(hours=1), LIMITS)
    assert names(ticket) == ["TicketOverdue"]


@pytest.mark.parametrize(("due_soon", "urge"), [(0, 0.5), (0.5, 1.1), (-0.1, 0.9)])
def test_clock_points_must_be_shares(due_soon: float, urge: float) -> None:
    with pytest.raises(ValueError, match="shares"):
        ClockPolicy(due_soon, urge)
