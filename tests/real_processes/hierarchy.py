"""A hierarchy of real processes, started as `make run` starts them: each service's console script with the
stack's environment, supervised by the local runner, on free ports."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import httpx
from sunshine_kit.auth.dev_issuer import DevIssuer
from sunshine_kit.auth.principal import Role
from sunshine_localstack.hierarchy import Hierarchy
from sunshine_localstack.ports import FreePorts
from sunshine_localstack.runner import LocalHierarchy

# The dev issuer's defaults (sunshine_kit.auth.settings.AuthSettings), which the runner's stacks use.
ISSUER, AUDIENCE = "sunshine-dev", "sunshine"


@dataclass
class RunningHierarchy:
    runner: LocalHierarchy
    issuer: DevIssuer

    def gateway(self, division: str) -> httpx.AsyncClient:
        return httpx.AsyncClient(base_url=self.runner.stacks[division].gateway_url, timeout=30)

    def token(self, division: str, *roles: Role, subject: str = "tester") -> dict[str, str]:
        token = self.issuer.issue(subject, roles, division, timedelta(minutes=30))
        return {"Authorization": f"Bearer {token}"}


@asynccontextmanager
async def running(hierarchy: Hierarchy, state_dir: Path) -> AsyncIterator[RunningHierarchy]:
    runner = LocalHierarchy(hierarchy, state_dir, FreePorts(), ready_timeout_s=120)
    await runner.start()
    try:
        yield RunningHierarchy(runner, DevIssuer(runner.auth_key_file, ISSUER, AUDIENCE))
    finally:
        await runner.stop()
