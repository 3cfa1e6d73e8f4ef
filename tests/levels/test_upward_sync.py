"""Townships' events reach the county's and the city's roll-ups exactly once, across crashes and outages."""

from __future__ import annotations

import asyncio

from sunshine_kit.levels import ROLLUP
from sunshine_kit.testing.level_network import LevelNetwork
from sunshine_kit.testing.waiting import wait_until

from tests.levels.conftest import CITY, COUNTY, TOWNSHIP_A, TOWNSHIP_B
from tests.levels.sync_checks import assert_exactly_once, publish_all, ticket_events


async def test_a_thousand_events_from_each_township_arrive_once_at_county_and_city(network: LevelNetwork) -> None:
    events = {t: ticket_events(network[t].identity, 1000) for t in (TOWNSHIP_A, TOWNSHIP_B)}
    await asyncio.gather(*(publish_all(network[t].js, batch) for t, batch in events.items()))
    everything = events[TOWNSHIP_A] + events[TOWNSHIP_B]
    await assert_exactly_once(network[COUNTY].js, ROLLUP, everything)
    await assert_exactly_once(network[CITY].js, ROLLUP, everything)


async def test_a_township_server_killed_while_publishing_loses_and_doubles_nothing(network: LevelNetwork) -> None:
    township = network[TOWNSHIP_A]
    events = ticket_events(township.identity, 600)
    publishing = asyncio.create_task(publish_all(township.js, events))
    await _after_some_stored(township, 200)
    township.server.kill()
    await asyncio.sleep(0.5)
    await asyncio.to_thread(township.server.start)
    await publishing  # the publisher retried through the crash with the same ids
    await assert_exactly_once(network[COUNTY].js, ROLLUP, events)
    await assert_exactly_once(network[CITY].js, ROLLUP, events)


async def test_townships_keep_working_while_the_county_is_down(network: LevelNetwork) -> None:
    before = ticket_events(network[TOWNSHIP_A].identity, 100)
    await publish_all(network[TOWNSHIP_A].js, before)
    network[COUNTY].server.kill()
    during = ticket_events(network[TOWNSHIP_A].identity, 300) + ticket_events(network[TOWNSHIP_B].identity, 300)
    await publish_all(network[TOWNSHIP_A].js, during[:300])
    await publish_all(network[TOWNSHIP_B].js, during[300:])
    await asyncio.to_thread(network[COUNTY].server.start)
    await assert_exactly_once(network[COUNTY].js, ROLLUP, before + during)
    await assert_exactly_once(network[CITY].js, ROLLUP, before + during)


async def test_the_city_catches_up_after_it_was_killed(network: LevelNetwork) -> None:
    first = ticket_events(network[TOWNSHIP_B].identity, 200)
    await publish_all(network[TOWNSHIP_B].js, first)
    network[CITY].server.kill()
    second = ticket_events(network[TOWNSHIP_B].identity, 300)
    await publish_all(network[TOWNSHIP_B].js, second)
    await asyncio.to_thread(network[CITY].server.start)
    await assert_exactly_once(network[CITY].js, ROLLUP, first + second)


async def test_a_link_outage_backlog_drains_when_the_link_returns(proxied_network: LevelNetwork) -> None:
    township = proxied_network[TOWNSHIP_A]
    assert township.link is not None
    await township.link.cut()
    events = ticket_events(township.identity, 500)
    await publish_all(township.js, events)  # the township keeps accepting work while cut off
    assert (await proxied_network[COUNTY].js.stream_info(ROLLUP)).state.messages == 0
    await township.link.restore()
    await assert_exactly_once(proxied_network[COUNTY].js, ROLLUP, events)
    await assert_exactly_once(proxied_network[CITY].js, ROLLUP, events)


async def _after_some_stored(node, count: int) -> None:  # type: ignore[no-untyped-def]
    async def stored() -> bool:
        return (await node.js.stream_info("EVENTS")).state.messages >= count

    await wait_until(stored, within=30, interval=0.01)
