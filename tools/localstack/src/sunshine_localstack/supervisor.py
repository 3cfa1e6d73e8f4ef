"""A child process that is restarted, with a back-off, when it dies unexpectedly."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import signal
import time
from collections.abc import Callable, Mapping
from datetime import UTC, datetime

from sunshine_localstack.stack import ProcessSpec

log = logging.getLogger("sunshine_localstack")

FIRST_BACKOFF_S = 0.5
MAX_BACKOFF_S = 8.0
# A process that ran this long before dying gets the short back-off again.
STABLE_AFTER_S = 30.0
STOP_GRACE_S = 10.0


class SupervisedProcess:
    def __init__(
        self,
        spec: ProcessSpec,
        env: Mapping[str, str],
        label: str,
        on_restart: Callable[[], None] = lambda: None,
    ) -> None:
        self.spec = spec
        self.label = label
        self.restarts = 0
        self._env = dict(env)
        self._on_restart = on_restart
        self._process: asyncio.subprocess.Process | None = None
        self._started_at = 0.0
        self._backoff = FIRST_BACKOFF_S
        self._stopping = False
        self._watcher: asyncio.Task[None] | None = None

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process else None

    @property
    def running(self) -> bool:
        return self._process is not None and self._process.returncode is None

    async def start(self) -> None:
        process = await self._spawn()
        self._watcher = asyncio.create_task(self._watch(process), name=f"watch {self.label}")

    async def stop(self, grace_s: float = STOP_GRACE_S) -> None:
        """SIGTERM, then SIGKILL if the process is still there after grace_s."""
        self._stopping = True
        if self._watcher is not None:
            self._watcher.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._watcher
        process = self._process
        if process is None or process.returncode is not None:
            return
        _signal_group(process, signal.SIGTERM)
        try:
            await asyncio.wait_for(process.wait(), grace_s)
        except TimeoutError:
            log.warning("%s did not stop within %.0fs: killing it", self.label, grace_s)
            _signal_group(process, signal.SIGKILL)
            await process.wait()

    async def _spawn(self) -> asyncio.subprocess.Process:
        self.spec.log_path.parent.mkdir(parents=True, exist_ok=True)
        with self.spec.log_path.open("ab") as log_file:
            process = await asyncio.create_subprocess_exec(
                *self.spec.argv,
                env=self._env,
                stdin=asyncio.subprocess.DEVNULL,
                stdout=log_file,
                stderr=asyncio.subprocess.STDOUT,
                # Its own process group: Ctrl-C reaches the runner only, which stops children before parents.
                start_new_session=True,
            )
            stamp = datetime.now(UTC).isoformat(timespec="seconds")
            log_file.write(f"--- sunshine-local: {self.label} started, pid {process.pid}, {stamp}\n".encode())
        self._process = process
        self._started_at = time.monotonic()
        return process

    async def _watch(self, process: asyncio.subprocess.Process) -> None:
        while True:
            code = await process.wait()
            if self._stopping:
                return
            delay = self._next_backoff()
            log.warning(
                "%s (pid %s) exited unexpectedly with %s; restarting in %.1fs (log: %s)",
                self.label, process.pid, _describe(code), delay, self.spec.log_path,
            )
            await asyncio.sleep(delay)
            process = await self._spawn()
            self.restarts += 1
            log.info("%s restarted, pid %s", self.label, process.pid)
            self._on_restart()

    def _next_backoff(self) -> float:
        if time.monotonic() - self._started_at >= STABLE_AFTER_S:
            self._backoff = FIRST_BACKOFF_S
        delay = self._backoff
        self._backoff = min(self._backoff * 2, MAX_BACKOFF_S)
        return delay



def _signal_group(process: asyncio.subprocess.Process, signum: signal.Signals) -> None:
    # The whole group (the process leads it): a service that forked helpers must not leave them behind.
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signum)


def _describe(returncode: int) -> str:
    if returncode < 0:
        return signal.Signals(-returncode).name
    return f"exit code {returncode}"
