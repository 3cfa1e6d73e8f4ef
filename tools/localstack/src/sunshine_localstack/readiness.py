"""Probes: a nats-server's health (monitoring port) and a gateway's /readyz."""

from __future__ import annotations

from dataclasses import dataclass, field

import httpx

PROBE_TIMEOUT_S = 2.0


@dataclass(frozen=True)
class Readiness:
    """One answer of GET /readyz: status None when the gateway did not answer at all."""

    status: int | None
    not_ready: dict[str, str] = field(default_factory=dict)
    """dependency -> detail, for each dependency the gateway reports not ready."""
    error: str | None = None

    @property
    def ready(self) -> bool:
        return self.status == 200

    def explain(self) -> str:
        if self.ready:
            return "ready"
        if self.status is None:
            return f"gateway not answering ({self.error})"
        if not self.not_ready:
            return f"/readyz answered {self.status}"
        return "; ".join(f"{name} not ready: {detail}" for name, detail in self.not_ready.items())


async def probe_readyz(client: httpx.AsyncClient, gateway_url: str) -> Readiness:
    try:
        response = await client.get(f"{gateway_url}/readyz", timeout=PROBE_TIMEOUT_S)
    except httpx.HTTPError as error:
        return Readiness(None, error=type(error).__name__)
    return Readiness(response.status_code, _not_ready(response))


def _not_ready(response: httpx.Response) -> dict[str, str]:
    """The dependencies a /readyz body reports not ready: {"dependencies": {name: {ready, detail}}}."""
    try:
        dependencies = response.json().get("dependencies", {})
    except ValueError:
        return {}
    return {
        name: str(check.get("detail", ""))
        for name, check in dependencies.items()
        if not check.get("ready", False)
    }


async def nats_healthy(client: httpx.AsyncClient, monitor_url: str) -> bool:
    """The server is up and its JetStream is enabled."""
    try:
        response = await client.get(f"{monitor_url}/healthz?js-enabled-only=true", timeout=PROBE_TIMEOUT_S)
    except httpx.HTTPError:
        return False
    return response.status_code == 200
