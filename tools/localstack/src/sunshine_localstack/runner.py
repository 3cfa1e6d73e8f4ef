"""Runs a hierarchy of local stacks: per stack a nats-server and the four services, supervised."""

from __future__ import annotations

import asyncio
import json
import os
import time
from collections.abc import Awaitable, Callable, Coroutine, Iterable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx

from sunshine_localstack.hierarchy import Hierarchy
from sunshine_localstack.ports import PortAllocator, PortBlocks, ensure_free
from sunshine_localstack.readiness import Readiness, nats_healthy, probe_readyz
from sunshine_localstack.stack import NATS_SERVER, SERVICES, LocalStack, ProcessSpec
from sunshine_localstack.supervisor import SupervisedProcess

READY_TIMEOUT_S = 60.0
NATS_START_TIMEOUT_S = 20.0
POLL_INTERVAL_S = 0.2
DESCRIPTION_FILE = "hierarchy.json"
# Meant for every stack alike: secrets, and the gateways' public rate limits (docs/auth.md) an operator may tune.
PASSED_TO_EVERY_STACK = (
    "SUNSHINE_OPEN311_API_KEYS",
    "SUNSHINE_GATEWAY_PUBLIC_READS_PER_MINUTE",
    "SUNSHINE_GATEWAY_SUBMISSIONS_PER_MINUTE",
    "SUNSHINE_GATEWAY_FOLLOW_ATTEMPTS_PER_MINUTE",
    "SUNSHINE_GATEWAY_FOLLOW_ATTEMPTS_PER_NUMBER_PER_HOUR",
)


class NotReady(RuntimeError):
    pass


class LocalHierarchy:
    """Start and stop a whole hierarchy; the CLI (`sunshine-local run`) and the tests drive this class."""

    def __init__(
        self,
        hierarchy: Hierarchy,
        state_dir: Path,
        ports: PortAllocator | None = None,
        services: Sequence[str] = SERVICES,
        ready_timeout_s: float = READY_TIMEOUT_S,
    ) -> None:
        self.hierarchy = hierarchy
        self.state_dir = state_dir.resolve()
        self.services = tuple(services)
        self.ready_timeout_s = ready_timeout_s
        self.stacks = _plan_stacks(
            hierarchy, self.state_dir, self.auth_key_file, ports or PortBlocks(hierarchy.port_base)
        )
        self._processes: dict[tuple[str, str], SupervisedProcess] = {}
        self._started_at = ""

    @property
    def description_path(self) -> Path:
        return self.state_dir / DESCRIPTION_FILE

    @property
    def auth_key_file(self) -> Path:
        # One signing key for the whole local hierarchy: a dev token works at every level.
        return self.state_dir / "dev-auth" / "signing-key.pem"

    @property
    def serves_gateways(self) -> bool:
        return "gateway" in self.services

    def process(self, division: str, name: str) -> SupervisedProcess:
        return self._processes[(division, name)]

    def processes(self) -> list[SupervisedProcess]:
        return list(self._processes.values())

    async def start(self) -> None:
        """Start every stack and wait until each gateway is ready; on any failure stop what was started."""
        self._check_ports()
        self._started_at = datetime.now(UTC).isoformat(timespec="seconds")
        try:
            await _together(self._start_stack(stack) for stack in self.stacks.values())
            self._write_description()
            if self.serves_gateways:
                await self._wait_ready()
        except BaseException:
            await self.stop()
            raise

    async def stop(self) -> None:
        """Children before parents; in each stack the services, then its nats-server."""
        for stacks in self.hierarchy.deepest_first():
            await _together(self._stop_stack(stack.division) for stack in stacks)
        self.description_path.unlink(missing_ok=True)

    async def readiness(self) -> dict[str, Readiness]:
        async with httpx.AsyncClient() as client:
            answers = await asyncio.gather(*(probe_readyz(client, s.gateway_url) for s in self.stacks.values()))
        return dict(zip(self.stacks, answers, strict=True))

    def description(self) -> dict[str, Any]:
        """What var/local/hierarchy.json holds (documented in docs/local-hierarchy.md)."""
        return {
            "sample_data": self.hierarchy.sample_data,
            "runner_pid": os.getpid(),
            "started_at": self._started_at,
            "dev_auth_key_file": str(self.auth_key_file),
            "stacks": [self._describe(stack) for stack in self.stacks.values()],
        }

    def _check_ports(self) -> None:
        for stack in self.stacks.values():
            for purpose, port in stack.used_ports(self.services):
                ensure_free(port, purpose)

    async def _start_stack(self, stack: LocalStack) -> None:
        stack.data_dir.mkdir(parents=True, exist_ok=True)
        stack.nats_config_path.write_text(stack.nats_config().render(), encoding="utf-8")
        await self._launch(stack, stack.nats_process())
        await self._wait_nats(stack)
        await _together(self._launch(stack, stack.service_process(service)) for service in self.services)

    async def _launch(self, stack: LocalStack, spec: ProcessSpec) -> None:
        process = SupervisedProcess(
            spec, _process_environment(spec), f"{spec.name} of {stack.division}", self._write_description
        )
        self._processes[(stack.division, spec.name)] = process
        await process.start()

    async def _wait_nats(self, stack: LocalStack) -> None:
        async with httpx.AsyncClient() as client:
            healthy = await _poll(lambda: nats_healthy(client, stack.nats_monitor_url), NATS_START_TIMEOUT_S)
        if not healthy:
            raise NotReady(
                f"nats-server of {stack.division} not healthy after {NATS_START_TIMEOUT_S:.0f}s "
                f"(log: {stack.log_path(NATS_SERVER)})"
            )

    async def _wait_ready(self) -> None:
        async def all_ready() -> bool:
            return all(answer.ready for answer in (await self.readiness()).values())

        if not await _poll(all_ready, self.ready_timeout_s):
            raise NotReady(self._explain(await self.readiness()))

    def _explain(self, answers: dict[str, Readiness]) -> str:
        lines = [f"not every gateway /readyz returned 200 within {self.ready_timeout_s:.0f}s:"]
        for division, answer in answers.items():
            if not answer.ready:
                stack = self.stacks[division]
                lines.append(f"  {division} {stack.gateway_url}: {answer.explain()} (logs in {stack.data_dir})")
        for process in self.processes():
            if process.restarts:
                lines.append(f"  {process.label} restarted {process.restarts}x (log: {process.spec.log_path})")
        return "\n".join(lines)

    async def _stop_stack(self, division: str) -> None:
        services = [process for (owner, name), process in self._processes.items()
                    if owner == division and name != NATS_SERVER]
        await _together(process.stop() for process in services)
        nats = self._processes.get((division, NATS_SERVER))
        if nats is not None:
            await nats.stop()

    def _describe(self, stack: LocalStack) -> dict[str, Any]:
        identity = stack.identity
        pids = {
            name: self._processes[(stack.division, name)].pid
            for name in (NATS_SERVER, *self.services)
            if (stack.division, name) in self._processes
        }
        return {
            "division": identity.division,
            "level": identity.level.value,
            "name": identity.name,
            "parent": identity.parent_division,
            "gateway_url": stack.gateway_url if self.serves_gateways else None,
            "nats_url": stack.nats_url,
            "nats_monitor_url": stack.nats_monitor_url,
            "jetstream_domain": stack.nats_config().domain,
            "data_dir": str(stack.data_dir),
            "pids": pids,
            "metrics_urls": {name: stack.metrics_url(name) for name in self.services},
        }

    def _write_description(self) -> None:
        temporary = self.description_path.with_suffix(".json.tmp")
        temporary.write_text(json.dumps(self.description(), ensure_ascii=False, indent=2), encoding="utf-8")
        temporary.replace(self.description_path)


def _plan_stacks(
    hierarchy: Hierarchy, state_dir: Path, auth_key_file: Path, allocator: PortAllocator
) -> dict[str, LocalStack]:
    ports = {spec.division: allocator.ports_for(index) for index, spec in enumerate(hierarchy.stacks)}
    return {
        spec.division: LocalStack(
            identity=hierarchy.identity(spec.division),
            ports=ports[spec.division],
            metrics_ports=allocator.metrics_ports_for(index),
            data_dir=state_dir / spec.division,
            auth_key_file=auth_key_file,
            parent_ports=ports[spec.parent] if spec.parent else None,
            calendar_override_file=hierarchy.calendar_override_file,
            open311_api_keys=hierarchy.open311_api_keys,
        )
        for index, spec in enumerate(hierarchy.stacks)
    }


def _process_environment(spec: ProcessSpec) -> dict[str, str]:
    # The operator's own SUNSHINE_* variables (say a database URL) must not leak into every stack; those meant for
    # every stack alike (secrets the hierarchy file should not hold) are passed, over the file's values.
    inherited = {name: value for name, value in os.environ.items() if not name.startswith("SUNSHINE_")}
    passed = {name: os.environ[name] for name in PASSED_TO_EVERY_STACK if name in os.environ}
    return {**inherited, "PYTHONUNBUFFERED": "1", **spec.env, **passed}


async def _together(coroutines: Iterable[Coroutine[Any, Any, None]]) -> None:
    """Run concurrently; on the first failure cancel the rest and raise that failure itself."""
    try:
        async with asyncio.TaskGroup() as group:
            for coroutine in coroutines:
                group.create_task(coroutine)
    except BaseExceptionGroup as failures:
        raise failures.exceptions[0] from None


async def _poll(check: Callable[[], Awaitable[bool]], timeout_s: float) -> bool:
    deadline = time.monotonic() + timeout_s
    while not await check():
        if time.monotonic() >= deadline:
            return False
        await asyncio.sleep(POLL_INTERVAL_S)
    return True
