"""The disclosure service's overdue-request gauge on its metrics endpoint: requests in progress past their
statutory deadline."""

from __future__ import annotations

import pytest
from sunshine_kit.testing.metrics import scrape
from sunshine_kit.testing.waiting import wait_until

from tests.disclosure.test_requests_api import _received

OVERDUE = "sunshine_disclosure_overdue_requests"


@pytest.fixture(autouse=True)
def metrics_endpoint(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SUNSHINE_DISCLOSURE_METRICS_ADDR", "127.0.0.1:0")
    monkeypatch.setenv("SUNSHINE_METRICS_INTERVAL_S", "0.1")


async def test_a_request_received_long_ago_and_unanswered_counts_as_overdue(stack) -> None:  # type: ignore[no-untyped-def]
    url = f"http://127.0.0.1:{stack.runtimes['disclosure'].metrics_port}/metrics"

    async def overdue_is(expected: int) -> bool:
        return (await scrape(url)).value(OVERDUE, division="510100") == expected

    await wait_until(lambda: overdue_is(0), within=30)
    received = await _received(stack, received_on="2026-02-13")  # 20 working days ran out in March
    assert received["state"] == "in_progress"
    await _received(stack, received_on="2026-12-02")  # still within its time limit today

    await wait_until(lambda: overdue_is(1), within=30)
