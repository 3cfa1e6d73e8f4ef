"""Hotline limits running into 2027 through the gateway, on SQLite and PostgreSQL, with the hotline's clock in
December 2026: no installed calendar covers 2027, and every ticket still gets its due times, marked provisional
(预计) for the staff and for the citizen following it.

Provisional 2027 (docs/working-days.md): only 元旦 (Friday 01-01) is off in January, so a limit crossing the
year ends on Monday 01-04.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sunshine_kit.auth.principal import Role
from sunshine_kit.working_days import PROVISIONAL_NOTE

from tests.hotline.conftest import as_staff
from tests.hotline.test_closed_loop import BASE, TICKET, step

PUBLIC = "/api/v1/hotline/public"
END_OF_JANUARY_4 = "2027-01-04T15:59:59Z"  # 23:59:59 in China


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 12, 11, 1, tzinfo=UTC)  # 09:00 in China

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock(monkeypatch) -> Clock:  # type: ignore[no-untyped-def]
    clock = Clock()
    monkeypatch.setattr("hotline.main.utc_now", clock)
    return clock


@pytest.fixture
async def stack(clock, stack):  # type: ignore[no-untyped-def]
    """The conftest's stack, built with the hotline on the test's clock."""
    return stack


async def test_a_complaint_from_december_11_is_due_provisionally_everywhere(stack) -> None:  # type: ignore[no-untyped-def]
    operator = as_staff(stack, "op-1", Role.HOTLINE_OPERATOR)
    staff_view = (await stack.http("POST", BASE, json=TICKET, headers=operator)).json()
    assert (staff_view["due_at"], staff_view["due_at_provisional"]) == (END_OF_JANUARY_4, True)
    assert staff_view["provisional_note"] == PROVISIONAL_NOTE

    filed = (await stack.http("POST", f"{PUBLIC}/tickets", json={**TICKET, "channel": "web"})).json()
    follow = {"number": filed["ticket"]["number"], "code": filed["code"]}
    public_view = (await stack.http("POST", f"{PUBLIC}/follow", json=follow)).json()
    assert (public_view["due_at"], public_view["due_at_provisional"], public_view["provisional_note"]) == (
        END_OF_JANUARY_4,
        True,
        PROVISIONAL_NOTE,
    )


async def test_an_inquiry_and_a_signing_limit_across_new_year_are_provisional(stack, clock: Clock) -> None:  # type: ignore[no-untyped-def]
    operator = as_staff(stack, "op-1", Role.HOTLINE_OPERATOR)
    clock.now = datetime(2026, 12, 28, 1, tzinfo=UTC)
    inquiry = (await stack.http("POST", BASE, json={**TICKET, "category": "inquiry"}, headers=operator)).json()
    assert (inquiry["due_at"], inquiry["due_at_provisional"]) == ("2026-12-31T15:59:59Z", False)

    clock.now = datetime(2026, 12, 31, 1, tzinfo=UTC)
    ticket = (await stack.http("POST", BASE, json={**TICKET, "category": "inquiry"}, headers=operator)).json()
    assert (ticket["due_at"], ticket["due_at_provisional"]) == ("2027-01-06T15:59:59Z", True)
    reply = await step(stack, ticket["id"], operator, action="dispatch", lead_unit="cgj")
    assert reply.status_code == 200, reply.text
    assert (reply.json()["sign_due_at"], reply.json()["sign_due_at_provisional"]) == (END_OF_JANUARY_4, True)
