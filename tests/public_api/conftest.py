"""A whole stack in this process (SQLite databases), for what the gateway does in front of the services."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from tests.stack_in_process import NO_LIMITS, InProcessStack, in_process_stack


@pytest.fixture
async def stack(nats_url, tmp_path, monkeypatch) -> AsyncIterator[InProcessStack]:  # type: ignore[no-untyped-def]
    for name, value in NO_LIMITS.items():  # these tests make many calls from one client on purpose
        monkeypatch.setenv(name, value)
    async with in_process_stack(nats_url, tmp_path, monkeypatch) as running:
        yield running
