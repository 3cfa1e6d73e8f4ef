"""A city, a county and two townships on real nats-servers; the county's and one township's services run in
the test process, so a township's requests reach the county's consolidated report through the roll-up."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
import pytest_asyncio
from sunshine_kit.testing.level_network import LevelNetwork

from tests.levels.conftest import COUNTY, TOWNSHIP_A, _running
from tests.stack_in_process import InProcessStack, in_process_stack


@pytest_asyncio.fixture
async def network(tmp_path) -> AsyncIterator[LevelNetwork]:  # type: ignore[no-untyped-def]
    async for running in _running(tmp_path, proxied_links=False):
        yield running


async def _stack(network: LevelNetwork, division: str, tmp_path, monkeypatch) -> AsyncIterator[InProcessStack]:  # type: ignore[no-untyped-def]
    identity = network[division].identity
    settings = {
        "division": division,
        "level": identity.level.value,
        "parent_division": identity.parent_division,
        "children": [{"division": c.division, "name": c.name} for c in identity.children],
    }
    async with in_process_stack(network[division].server.url, tmp_path / division, monkeypatch, **settings) as stack:
        yield stack


@pytest_asyncio.fixture
async def county(network: LevelNetwork, tmp_path, monkeypatch) -> AsyncIterator[InProcessStack]:  # type: ignore[no-untyped-def]
    async for stack in _stack(network, COUNTY, tmp_path, monkeypatch):
        yield stack


@pytest_asyncio.fixture
async def township(network: LevelNetwork, tmp_path, monkeypatch) -> AsyncIterator[InProcessStack]:  # type: ignore[no-untyped-def]
    async for stack in _stack(network, TOWNSHIP_A, tmp_path, monkeypatch):
        yield stack


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "disclosure_levels" in str(item.path):
            item.add_marker(pytest.mark.nats)
