"""The gateway's connection to this stack's NATS server: readiness and sync status."""

from __future__ import annotations

import asyncio
import contextlib
import logging

from nats.aio.client import Client
from sunshine_kit.errors import DependencyUnavailable
from sunshine_kit.jetstream import connect, server_answers

from gateway.adapters.services import HEALTH_DEADLINE_S, Health

log = logging.getLogger(__name__)


class EventBus:
    def __init__(self, url: str) -> None:
        self.url = url
        self._client: Client | None = None
        self._connecting: asyncio.Task[None] | None = None

    def start(self) -> None:
        """Connects in the background, so the gateway serves /readyz (not ready) while NATS is down."""
        self._connecting = asyncio.create_task(self._connect())

    async def _connect(self) -> None:
        self._client = await connect(self.url, name="gateway")

    @property
    def client(self) -> Client:
        if self._client is None or not self._client.is_connected:
            raise DependencyUnavailable(f"NATS at {self.url} is not connected")
        return self._client

    async def health(self) -> Health:
        if self._client is None or not self._client.is_connected:
            return Health(False, f"{self.url}: DISCONNECTED")
        if not await server_answers(self._client, HEALTH_DEADLINE_S):
            return Health(False, f"{self.url}: NOT ANSWERING within {HEALTH_DEADLINE_S:g}s (hung or overloaded)")
        return Health(True, f"{self.url}: CONNECTED")

    async def close(self) -> None:
        if self._connecting is not None:
            self._connecting.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._connecting
        if self._client is not None:
            await self._client.close()
