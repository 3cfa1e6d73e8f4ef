"""The hotline's overdue-ticket gauge on its metrics endpoint: open tickets whose due time has passed."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hotline.adapters.tables import tickets
from sqlalchemy import update
from sunshine_kit.auth.principal import Role
from sunshine_kit.testing.metrics import scrape
from sunshine_kit.testing.waiting import wait_until

from tests.hotline.conftest import as_staff
from tests.hotline.test_closed_loop import BASE, TICKET

OVERDUE = "sunshine_hotline_overdue_tickets"


@pytest.fixture(autouse=True)
def metrics_endpoint(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SUNSHINE_HOTLINE_METRICS_ADDR", "127.0.0.1:0")
    monkeypatch.setenv("SUNSHINE_METRICS_INTERVAL_S", "0.1")


async def test_an_open_ticket_past_its_due_time_counts_as_overdue(stack) -> None:  # type: ignore[no-untyped-def]
    hotline = stack.runtimes["hotline"]
    url = f"http://127.0.0.1:{hotline.metrics_port}/metrics"
    operator = as_staff(stack, "op-1", Role.HOTLINE_OPERATOR)
    accepted = [await stack.http("POST", BASE, json=TICKET, headers=operator) for _ in range(2)]
    assert [reply.status_code for reply in accepted] == [201, 201]

    async def overdue_is(expected: int) -> bool:
        return (await scrape(url)).value(OVERDUE, division="510100") == expected

    await wait_until(lambda: overdue_is(0), within=30)
    # Time passes for one of them: its due time is now in the past.
    async with hotline.engine.begin() as connection:
        late = update(tickets).where(tickets.c.id == accepted[1].json()["id"])
        await connection.execute(late.values(due_at=datetime(2026, 1, 5, tzinfo=UTC)))
    await wait_until(lambda: overdue_is(1), within=30)
