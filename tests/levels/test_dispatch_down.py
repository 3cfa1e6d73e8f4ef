"""A parent addresses work to one child: only that child receives it, also after being offline."""

from __future__ import annotations

import asyncio

from sunshine_kit.levels import DISPATCH_INBOX, ROLLUP
from sunshine_kit.testing.level_network import LevelNetwork
from sunshine_kit.testing.streams import stored_messages

from tests.levels.conftest import CITY, COUNTY, TOWNSHIP_A, TOWNSHIP_B
from tests.levels.sync_checks import assert_exactly_once, dispatch_events, publish_all, ticket_events


async def test_only_the_addressed_township_receives_dispatched_work(network: LevelNetwork) -> None:
    county = network[COUNTY]
    to_a = dispatch_events(county.identity, TOWNSHIP_A, 20)
    to_b = dispatch_events(county.identity, TOWNSHIP_B, 30)
    await publish_all(county.js, to_a + to_b)
    await assert_exactly_once(network[TOWNSHIP_A].js, DISPATCH_INBOX, to_a)
    await assert_exactly_once(network[TOWNSHIP_B].js, DISPATCH_INBOX, to_b)


async def test_work_dispatched_to_an_offline_township_arrives_when_it_returns(network: LevelNetwork) -> None:
    county, township = network[COUNTY], network[TOWNSHIP_A]
    township.server.kill()
    work = dispatch_events(county.identity, TOWNSHIP_A, 25)
    await publish_all(county.js, work)
    await asyncio.to_thread(township.server.start)
    await assert_exactly_once(township.js, DISPATCH_INBOX, work)


async def test_dispatched_work_never_travels_up_to_the_city(network: LevelNetwork) -> None:
    county = network[COUNTY]
    work = dispatch_events(county.identity, TOWNSHIP_A, 5)
    await publish_all(county.js, work)
    await assert_exactly_once(network[TOWNSHIP_A].js, DISPATCH_INBOX, work)
    township_event = ticket_events(network[TOWNSHIP_A].identity, 1)
    await publish_all(network[TOWNSHIP_A].js, township_event)  # arrives after the dispatches would have
    await assert_exactly_once(network[CITY].js, ROLLUP, township_event)
    assert not [m.subject for m in await stored_messages(network[CITY].js, ROLLUP) if ".dispatch." in m.subject]
