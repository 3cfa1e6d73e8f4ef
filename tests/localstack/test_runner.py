"""The runner with the real services: a county and a township, each a nats-server and four service processes
on free ports. One scenario, to start the processes only once: ready, described in hierarchy.json, a killed
service noticed by /readyz and restarted, and nothing left behind after stop."""

from __future__ import annotations

import json
import os
import signal
from collections.abc import Callable
from pathlib import Path

import pytest
from sunshine_kit.testing import wait_until
from sunshine_localstack.hierarchy import Hierarchy
from sunshine_localstack.ports import FreePorts
from sunshine_localstack.readiness import Readiness
from sunshine_localstack.runner import LocalHierarchy, NotReady
from sunshine_localstack.stack import NATS_SERVER, SERVICES

pytestmark = [pytest.mark.nats, pytest.mark.timeout(300)]

COUNTY, TOWNSHIP = "510117", "510117101"


def gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False


async def test_a_killed_service_comes_back_and_stop_leaves_nothing(two_levels: Hierarchy, tmp_path: Path) -> None:
    runner = LocalHierarchy(two_levels, tmp_path, FreePorts(), ready_timeout_s=120)
    await runner.start()
    try:
        assert all(answer.ready for answer in (await runner.readiness()).values())
        assert_described(runner)

        pids_seen = {process.pid for process in runner.processes()}
        hotline = runner.process(TOWNSHIP, "hotline")
        killed_pid = hotline.pid
        assert killed_pid is not None
        others = {process.label: process.pid for process in runner.processes() if process is not hotline}
        os.kill(killed_pid, signal.SIGKILL)

        township_not_ready = await wait_for_readiness(runner, lambda answer: answer.status == 503)
        assert set(township_not_ready.not_ready) == {"hotline"}
        assert {process.label: process.pid for process in runner.processes() if process is not hotline} == others
        assert all(process.running for process in runner.processes() if process is not hotline)

        await wait_for_readiness(runner, lambda answer: answer.ready)
        assert hotline.restarts == 1 and hotline.pid != killed_pid
        assert (await runner.readiness())[COUNTY].ready
        assert_described(runner)
        pids_seen |= {process.pid for process in runner.processes()}
    finally:
        await runner.stop()

    assert [pid for pid in pids_seen if pid is not None and not gone(pid)] == []
    assert not runner.description_path.exists()


async def wait_for_readiness(runner: LocalHierarchy, wanted: Callable[[Readiness], bool]) -> Readiness:
    """Polls the township's /readyz until `wanted(answer)`; returns that answer."""
    seen: list[Readiness] = []

    async def arrived() -> bool:
        answer = (await runner.readiness())[TOWNSHIP]
        seen.append(answer)
        return wanted(answer)

    await wait_until(arrived, within=60, interval=0.05)
    return seen[-1]


def assert_described(runner: LocalHierarchy) -> None:
    description = json.loads(runner.description_path.read_text(encoding="utf-8"))
    stacks = {stack["division"]: stack for stack in description["stacks"]}
    township = stacks[TOWNSHIP]

    assert description["sample_data"] is True
    assert description["runner_pid"] == os.getpid()
    assert (township["level"], township["parent"], township["name"]) == ("township", COUNTY, "示例街道（样例数据）")
    assert stacks[COUNTY]["parent"] is None
    assert township["gateway_url"] == runner.stacks[TOWNSHIP].gateway_url
    assert township["nats_url"] == runner.stacks[TOWNSHIP].nats_url
    assert township["jetstream_domain"] == f"d{TOWNSHIP}"
    assert township["pids"] == {name: runner.process(TOWNSHIP, name).pid for name in (NATS_SERVER, *SERVICES)}
    assert township["metrics_urls"] == {name: runner.stacks[TOWNSHIP].metrics_url(name) for name in SERVICES}


async def test_a_start_that_times_out_names_what_is_not_ready_and_stops_everything(
    two_levels: Hierarchy, tmp_path: Path
) -> None:
    county_alone = Hierarchy(two_levels.stacks[:1])
    # A gateway without its three services can never be ready.
    runner = LocalHierarchy(county_alone, tmp_path, FreePorts(), services=("gateway",), ready_timeout_s=15)

    with pytest.raises(NotReady) as failure:
        await runner.start()

    message = str(failure.value)
    assert f"{COUNTY} {runner.stacks[COUNTY].gateway_url}" in message
    for service in ("disclosure", "hotline", "evaluation"):
        assert f"{service} not ready: 127.0.0.1:{getattr(runner.stacks[COUNTY].ports, service)}" in message
    assert "nats not ready" not in message
    assert not any(process.running for process in runner.processes())
