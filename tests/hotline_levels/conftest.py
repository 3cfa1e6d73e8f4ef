"""A city, a county and two townships on real nats-servers; the county's and one township's services run in
the test process, so a ticket can travel county → township → back through their REST APIs."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
import pytest_asyncio
from sunshine_kit.testing.level_network import LevelNetwork

from tests.hotline_levels.round_trip import stack_of
from tests.levels.conftest import COUNTY, TOWNSHIP_A, _running
from tests.stack_in_process import InProcessStack


@pytest_asyncio.fixture
async def network(tmp_path) -> AsyncIterator[LevelNetwork]:  # type: ignore[no-untyped-def]
    async for running in _running(tmp_path, proxied_links=False):
        yield running


@pytest_asyncio.fixture
async def county(network: LevelNetwork, tmp_path, monkeypatch) -> AsyncIterator[InProcessStack]:  # type: ignore[no-untyped-def]
    async with stack_of(network, COUNTY, tmp_path, monkeypatch) as stack:
        yield stack


@pytest_asyncio.fixture
async def township(network: LevelNetwork, tmp_path, monkeypatch) -> AsyncIterator[InProcessStack]:  # type: ignore[no-untyped-def]
    async with stack_of(network, TOWNSHIP_A, tmp_path, monkeypatch) as stack:
        yield stack


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "hotline_levels" in str(item.path):
            item.add_marker(pytest.mark.nats)
