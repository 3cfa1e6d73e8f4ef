"""One stack's services started inside the test process, on free ports, around a test's NATS and database."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from disclosure.main import build as build_disclosure
from evaluation.main import build as build_evaluation
from fastapi.testclient import TestClient
from gateway.entrypoints.app import create_app
from hotline.main import build as build_hotline
from sunshine_kit.auth.dev_issuer import DevIssuer
from sunshine_kit.auth.principal import Role
from sunshine_kit.auth.settings import AuthSettings
from sunshine_kit.runtime import ServiceRuntime
from sunshine_kit.settings import StackSettings
from sunshine_kit.testing.nats_server import free_port
from sunshine_kit.testing.waiting import wait_until

BUILDERS = {"disclosure": build_disclosure, "hotline": build_hotline, "evaluation": build_evaluation}

# The gateway's public rate limits off, for tests that make many calls from one client on purpose.
NO_LIMITS = {
    "SUNSHINE_GATEWAY_PUBLIC_READS_PER_MINUTE": "0",
    "SUNSHINE_GATEWAY_SUBMISSIONS_PER_MINUTE": "0",
    "SUNSHINE_GATEWAY_FOLLOW_ATTEMPTS_PER_MINUTE": "0",
    "SUNSHINE_GATEWAY_FOLLOW_ATTEMPTS_PER_NUMBER_PER_HOUR": "0",
}


@dataclass
class InProcessStack:
    settings: StackSettings
    runtimes: dict[str, ServiceRuntime]
    gateway: TestClient
    issuer: DevIssuer

    def token(self, role: Role, division: str | None = None) -> dict[str, str]:
        token = self.issuer.issue("tester", [role], division or self.settings.division, timedelta(minutes=5))
        return {"Authorization": f"Bearer {token}"}

    async def http(self, method: str, path: str, **kwargs: object):  # type: ignore[no-untyped-def]
        """The gateway runs in TestClient's own thread; calling it off the loop keeps the services serving."""
        return await asyncio.to_thread(self.gateway.request, method, path, **kwargs)


@asynccontextmanager
async def in_process_stack(
    nats_url: str, data_dir: Path, monkeypatch, **stack: object
) -> AsyncIterator[InProcessStack]:  # type: ignore[no-untyped-def]
    """`stack` sets StackSettings fields (division, level, parent_division, children); a city 510100 by default."""
    monkeypatch.setenv("SUNSHINE_AUTH_MODE", "dev")
    monkeypatch.setenv("SUNSHINE_AUTH_DEV_KEY_FILE", str(data_dir / "signing-key.pem"))
    auth = AuthSettings()
    # Ports are chosen before anything is built, so services that call each other (hotline → disclosure) know
    # where to find one another, as they do from a stack's shared environment.
    ports = {f"{name}_grpc_addr": f"127.0.0.1:{free_port()}" for name in BUILDERS}
    gateway_settings = StackSettings(nats_url=nats_url, data_dir=data_dir, **ports, **stack)
    runtimes = {name: build(gateway_settings) for name, build in BUILDERS.items()}
    for runtime in runtimes.values():
        await runtime.start()
    try:
        with TestClient(create_app(gateway_settings, auth.verifier())) as client:
            stack = InProcessStack(
                gateway_settings, runtimes, client, DevIssuer(auth.dev_key_file, auth.expected_issuer, auth.audience)
            )
            await wait_until(lambda: _ready(stack), within=30)
            yield stack
    finally:
        for runtime in runtimes.values():
            await runtime.stop()


async def _ready(stack: InProcessStack) -> bool:
    return (await stack.http("GET", "/readyz")).status_code == 200
