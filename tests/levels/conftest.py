"""Four real nats-servers per test — a city, its county and the county's two townships — configured as a
deployment is, with the streams and consumers each stack provisions at start-up."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio
from sunshine_kit.identity import ChildStack, Level, StackIdentity
from sunshine_kit.testing.level_network import LevelNetwork

CITY, COUNTY, TOWNSHIP_A, TOWNSHIP_B = "510100", "510117", "510117101", "510117102"


def hierarchy() -> list[StackIdentity]:
    return [
        StackIdentity(Level.CITY, CITY, "示例市", children=(ChildStack(COUNTY, "示例区"),)),
        StackIdentity(
            Level.COUNTY,
            COUNTY,
            "示例区",
            parent_division=CITY,
            children=(ChildStack(TOWNSHIP_A, "示例街道"), ChildStack(TOWNSHIP_B, "示例镇")),
        ),
        StackIdentity(Level.TOWNSHIP, TOWNSHIP_A, "示例街道", parent_division=COUNTY),
        StackIdentity(Level.TOWNSHIP, TOWNSHIP_B, "示例镇", parent_division=COUNTY),
    ]


async def _running(tmp_path: Path, proxied_links: bool) -> AsyncIterator[LevelNetwork]:
    network = LevelNetwork(tmp_path, hierarchy(), proxied_links=proxied_links)
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
