"""A supervised process comes back after an unexpected death, and stops for good when asked."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from collections.abc import Callable
from pathlib import Path

from sunshine_kit.testing import wait_until
from sunshine_localstack.stack import ProcessSpec
from sunshine_localstack.supervisor import SupervisedProcess

SLEEPER = (sys.executable, "-c", "import time; print('up', flush=True); time.sleep(600)")
# Ignores SIGTERM, as a hung service would.
STUBBORN = (
    sys.executable,
    "-c",
    "import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); print('up', flush=True); time.sleep(600)",
)


def gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False


def supervised(
    argv: tuple[str, ...], tmp_path: Path, on_restart: Callable[[], None] = lambda: None
) -> SupervisedProcess:
    spec = ProcessSpec("sleeper", argv, tmp_path / "sleeper.log")
    return SupervisedProcess(spec, dict(os.environ), "sleeper of test", on_restart)


async def test_a_killed_process_is_restarted_and_logged(tmp_path: Path) -> None:
    restarts_seen: list[int | None] = []
    process = supervised(SLEEPER, tmp_path, lambda: restarts_seen.append(process.pid))
    await process.start()
    first_pid = process.pid
    assert first_pid is not None

    async def replaced() -> bool:
        return process.running and process.pid != first_pid

    try:
        os.kill(first_pid, signal.SIGKILL)
        await wait_until(replaced, within=10)

        assert process.restarts == 1
        assert restarts_seen == [process.pid]
        log = (tmp_path / "sleeper.log").read_text()
        assert log.count("--- sunshine-local: sleeper of test started") == 2
    finally:
        await process.stop()
    assert gone(first_pid) and gone(restarts_seen[0] or 0)


async def test_stop_kills_a_process_that_ignores_sigterm(tmp_path: Path) -> None:
    process = supervised(STUBBORN, tmp_path)
    await process.start()
    log = tmp_path / "sleeper.log"

    async def up() -> bool:
        return "up" in log.read_text()

    await wait_until(up, within=10)
    await process.stop(grace_s=0.5)

    assert not process.running
    assert process.restarts == 0


async def test_a_stopped_process_is_not_restarted(tmp_path: Path) -> None:
    process = supervised(SLEEPER, tmp_path)
    await process.start()

    await process.stop()
    await asyncio.sleep(1.0)

    assert not process.running and process.restarts == 0
