"""Every process of a running hierarchy (a county and its township, real processes on free ports) serves its
metrics: scraped like Prometheus does, each metric is there with a plausible value after a ticket went through."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
import pytest_asyncio
from sunshine_kit.auth.dev_issuer import DevIssuer
from sunshine_kit.auth.principal import Role
from sunshine_kit.testing.metrics import Scrape, scrape
from sunshine_kit.testing.waiting import wait_until
from sunshine_localstack.hierarchy import Hierarchy
from sunshine_localstack.ports import FreePorts
from sunshine_localstack.runner import LocalHierarchy

pytestmark = [pytest.mark.nats, pytest.mark.timeout(300)]

COUNTY, TOWNSHIP = "510117", "510117101"
TICKET = {
    "category": "complaint",
    "topic": "环境卫生",
    "channel": "phone",
    "place_division": TOWNSHIP,
    "address": "示例路1号",
    "description": "路口垃圾三天无人清运",
    "caller": {"name": "张三", "phone": "13800001234"},
}


@pytest_asyncio.fixture
async def running(two_levels: Hierarchy, tmp_path: Path) -> AsyncIterator[LocalHierarchy]:
    runner = LocalHierarchy(two_levels, tmp_path, FreePorts(), ready_timeout_s=120)
    await runner.start()
    try:
        yield runner
    finally:
        await runner.stop()


async def accept_ticket(runner: LocalHierarchy) -> None:
    issuer = DevIssuer(runner.auth_key_file, "sunshine-dev", "sunshine")
    token = issuer.issue("op-1", [Role.HOTLINE_OPERATOR], TOWNSHIP, timedelta(minutes=5))
    async with httpx.AsyncClient(base_url=runner.stacks[TOWNSHIP].gateway_url) as client:
        reply = await client.post("/api/v1/hotline/tickets", json=TICKET, headers={"Authorization": f"Bearer {token}"})
    assert reply.status_code == 201, reply.text


async def scraped(runner: LocalHierarchy, division: str, process: str) -> Scrape:
    return await scrape(runner.stacks[division].metrics_url(process))


async def test_each_process_serves_its_metrics_with_plausible_values(running: LocalHierarchy) -> None:
    await accept_ticket(running)

    gateway = await scraped(running, TOWNSHIP, "gateway")
    intake = {"division": TOWNSHIP, "method": "POST", "route": "/api/v1/hotline/tickets"}
    assert gateway.value("sunshine_http_server_requests_total", **intake, status="201") == 1
    assert gateway.value("sunshine_http_server_request_duration_seconds_sum", **intake) > 0
    assert gateway.value("process_resident_memory_bytes") > 10_000_000

    hotline = await scraped(running, TOWNSHIP, "hotline")
    accept = {"division": TOWNSHIP, "service": "hotline", "grpc_method": "AcceptTicket"}
    assert hotline.value("sunshine_grpc_server_handled_total", **accept, grpc_code="OK") == 1
    assert hotline.value("sunshine_grpc_server_handling_seconds_count", **accept) == 1
    # The gateway's readiness probes call Health/Check on every service.
    assert hotline.value("sunshine_grpc_server_handled_total", grpc_method="Check", grpc_code="OK") >= 1

    async def settled() -> bool:
        """The ticket's events relayed, consumed at both levels, and synced up to the county."""
        hotline, evaluation = await scraped(running, TOWNSHIP, "hotline"), await scraped(running, COUNTY, "evaluation")
        county_gateway = await scraped(running, COUNTY, "gateway")
        return (
            hotline.value("sunshine_outbox_backlog_events", division=TOWNSHIP, service="hotline") == 0
            and hotline.value("sunshine_outbox_oldest_unsent_age_seconds", division=TOWNSHIP) == 0
            and _all_zero(evaluation, "sunshine_consumer_pending_messages", division=COUNTY, service="evaluation")
            and county_gateway.value("sunshine_sync_child_reachable", division=COUNTY, child=TOWNSHIP) == 1
            and county_gateway.value("sunshine_sync_child_behind_messages", division=COUNTY, child=TOWNSHIP) == 0
        )

    await wait_until(settled, within=60, interval=0.5)
    evaluation = await scraped(running, COUNTY, "evaluation")
    consumers = evaluation.values("sunshine_consumer_pending_messages", division=COUNTY, service="evaluation")
    assert {sample.labels["stream"] for sample in consumers} >= {"EVENTS", "ROLLUP"}
    assert all(
        evaluation.value("sunshine_consumer_redelivered_messages", consumer=sample.labels["consumer"]) == 0
        for sample in consumers
    )
    assert (await scraped(running, TOWNSHIP, "hotline")).value("sunshine_hotline_overdue_tickets") == 0
    assert (await scraped(running, TOWNSHIP, "disclosure")).value("sunshine_disclosure_overdue_requests") == 0


def _all_zero(scraped: Scrape, name: str, **labels: str) -> bool:
    samples = scraped.values(name, **labels)
    return bool(samples) and all(sample.value == 0 for sample in samples)
