"""The level link the runner sets up between a county's and a township's nats-servers (real processes, free
ports): it comes up, JetStream sourcing crosses it both ways (the plan for upward sync and downward
dispatch), and core messages on application subjects do not cross it."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path

import httpx
import nats
import pytest
import pytest_asyncio
from nats.aio.client import Client
from nats.aio.msg import Msg
from nats.js import JetStreamContext
from sunshine_kit.levels import DISPATCH_INBOX, ROLLUP, LevelTopology, dispatch_subject, provision
from sunshine_kit.testing import wait_until
from sunshine_localstack.hierarchy import Hierarchy
from sunshine_localstack.ports import FreePorts, MetricsPorts, PortInUse, StackPorts
from sunshine_localstack.runner import LocalHierarchy
from sunshine_localstack.stack import NATS_SERVER

pytestmark = pytest.mark.nats

COUNTY, TOWNSHIP = "510117", "510117101"


@pytest_asyncio.fixture
async def nats_only(two_levels: Hierarchy, tmp_path: Path) -> AsyncIterator[LocalHierarchy]:
    runner = LocalHierarchy(two_levels, tmp_path, FreePorts(), services=())
    await runner.start()
    try:
        yield runner
    finally:
        await runner.stop()


@pytest_asyncio.fixture
async def clients(nats_only: LocalHierarchy) -> AsyncIterator[tuple[Client, Client]]:
    county = await nats.connect(nats_only.stacks[COUNTY].nats_url)
    township = await nats.connect(nats_only.stacks[TOWNSHIP].nats_url)
    try:
        yield county, township
    finally:
        await county.close()
        await township.close()


async def test_the_township_is_a_leaf_of_its_county(nats_only: LocalHierarchy) -> None:
    async def linked() -> bool:
        async with httpx.AsyncClient() as client:
            leafz = (await client.get(f"{nats_only.stacks[COUNTY].nats_monitor_url}/leafz")).json()
        return [leaf["name"] for leaf in leafz.get("leafs") or []] == [f"sunshine-{TOWNSHIP}"]

    await wait_until(linked, within=15)


async def test_the_level_streams_sync_across_the_link_both_ways(
    two_levels: Hierarchy, clients: tuple[Client, Client]
) -> None:
    county, township = clients
    county_js, township_js = county.jetstream(), township.jetstream()
    await provision(county_js, LevelTopology(two_levels.identity(COUNTY)))
    await provision(township_js, LevelTopology(two_levels.identity(TOWNSHIP)))

    for n in range(3):
        await township_js.publish(f"sunshine.{TOWNSHIP}.hotline.ticket.accepted", f"{n}".encode())
        await county_js.publish(dispatch_subject(COUNTY, TOWNSHIP, "hotline.ticket"), f"{n}".encode())
        await county_js.publish(dispatch_subject(COUNTY, "510117102", "hotline.ticket"), f"{n}".encode())

    async def stored(js: JetStreamContext, stream: str) -> int:
        return (await js.stream_info(stream)).state.messages

    async def synced() -> bool:
        counts = await asyncio.gather(stored(county_js, ROLLUP), stored(township_js, DISPATCH_INBOX))
        return counts == [3, 3]

    # A source retries on the servers' own timers: one created before the link is up attached after ~10 s.
    await wait_until(synced, within=45, interval=0.25)
    dispatched = await township_js.get_msg(DISPATCH_INBOX, 1)
    assert dispatched.subject == dispatch_subject(COUNTY, TOWNSHIP, "hotline.ticket")


async def test_core_messages_on_application_subjects_stay_in_their_stack(clients: tuple[Client, Client]) -> None:
    county, township = clients
    seen: dict[str, list[str]] = {"county": [], "township": []}
    for name, client in (("county", county), ("township", township)):
        await client.subscribe("sunshine.>", cb=_collect(seen[name]))
        await client.flush()
    await asyncio.sleep(0.5)  # time for interest to propagate, were it allowed to

    await county.publish(f"sunshine.{COUNTY}.hotline.ticket.dispatched", b"")
    await township.publish(f"sunshine.{TOWNSHIP}.hotline.ticket.accepted", b"")
    await county.flush()
    await township.flush()
    await asyncio.sleep(0.5)

    assert seen == {
        "county": [f"sunshine.{COUNTY}.hotline.ticket.dispatched"],
        "township": [f"sunshine.{TOWNSHIP}.hotline.ticket.accepted"],
    }


async def test_a_busy_port_fails_the_start_naming_it_and_starts_nothing(
    two_levels: Hierarchy, tmp_path: Path, nats_only: LocalHierarchy
) -> None:
    second = LocalHierarchy(two_levels, tmp_path / "second", _SamePorts(nats_only), services=())

    with pytest.raises(PortInUse, match=f"nats of {COUNTY}"):
        await second.start()
    assert second.processes() == []
    assert nats_only.process(COUNTY, NATS_SERVER).running


def _collect(subjects: list[str]) -> Callable[[Msg], Awaitable[None]]:
    async def collect(message: Msg) -> None:
        subjects.append(message.subject)

    return collect


class _SamePorts:
    """The ports an already running hierarchy holds."""

    def __init__(self, running: LocalHierarchy) -> None:
        self._ports = [stack.ports for stack in running.stacks.values()]
        self._metrics_ports = [stack.metrics_ports for stack in running.stacks.values()]

    def ports_for(self, index: int) -> StackPorts:
        return self._ports[index]

    def metrics_ports_for(self, index: int) -> MetricsPorts:
        return self._metrics_ports[index]
