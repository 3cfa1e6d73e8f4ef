"""Four real nats-servers per test — a city, its county and the county's two townships — configured as a
deployment is, with the streams and consumers each stack provisions at start-up."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio
from sunshine_kit.testing import level_network
from sunshine_kit.testing.level_network import LevelNetwork

CITY, COUNTY, TOWNSHIP_A, TOWNSHIP_B = (
    level_network.CITY,
    level_network.COUNTY,
    level_network.TOWNSHIP_A,
    level_network.TOWNSHIP_B,
)


async def _running(tmp_path: Path, proxied_links: bool) -> AsyncIterator[LevelNetwork]:
    network = LevelNetwork(tmp_path, level_network.four_stacks(), proxied_links=proxied_links)
    try:
        await network.start()
        yield network
    finally:
        await network.stop()


@pytest_asyncio.fixture
async def network(tmp_path: Path) -> AsyncIterator[LevelNetwork]:
    async for running in _running(tmp_path, proxied_links=False):
        yield running


@pytest_asyncio.fixture
async def proxied_network(tmp_path: Path) -> AsyncIterator[LevelNetwork]:
    async for running in _running(tmp_path, proxied_links=True):
        yield running


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "levels" in str(item.path):
            item.add_marker(pytest.mark.nats)
