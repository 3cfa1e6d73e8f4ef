"""Sync status is computed from verifiable sequences and is checked here against a real backlog."""

from __future__ import annotations

from sunshine_kit.levels import ROLLUP
from sunshine_kit.sync_status import sync_status
from sunshine_kit.testing.level_network import LevelNetwork
from sunshine_kit.testing.waiting import wait_until

from tests.levels.conftest import COUNTY, TOWNSHIP_A, TOWNSHIP_B
from tests.levels.sync_checks import assert_exactly_once, dispatch_events, publish_all, ticket_events


async def test_a_cut_off_township_counts_its_backlog_and_the_county_reports_it_unreachable(
    proxied_network: LevelNetwork,
) -> None:
    county, township = proxied_network[COUNTY], proxied_network[TOWNSHIP_A]
    assert township.link is not None and county.client is not None and township.client is not None
    synced = ticket_events(township.identity, 10)
    await publish_all(township.js, synced)
    await assert_exactly_once(county.js, ROLLUP, synced)

    await township.link.cut()
    backlog = ticket_events(township.identity, 120)
    await publish_all(township.js, backlog)

    at_township = await sync_status(township.client, township.identity)
    events_upstream = next(s for s in at_township.upstream if s.stream == "EVENTS")
    assert (events_upstream.last_sequence, events_upstream.acknowledged_sequence) == (130, 10)
    assert events_upstream.behind == 120
    assert at_township.inbox is not None and not at_township.inbox.reachable

    at_county = await sync_status(county.client, county.identity)
    by_division = {c.division: c for c in at_county.children}
    assert not by_division[TOWNSHIP_A].reachable and by_division[TOWNSHIP_A].behind is None
    assert by_division[TOWNSHIP_B].reachable and by_division[TOWNSHIP_B].behind == 0

    await township.link.restore()
    await assert_exactly_once(county.js, ROLLUP, synced + backlog)

    async def caught_up() -> bool:
        child = next(
            c for c in (await sync_status(county.client, county.identity)).children if c.division == TOWNSHIP_A
        )
        return child.reachable and child.active and child.behind == 0

    await wait_until(caught_up, within=30)


async def test_the_inbox_position_follows_dispatched_work(network: LevelNetwork) -> None:
    county, township = network[COUNTY], network[TOWNSHIP_A]
    assert township.client is not None
    work = dispatch_events(county.identity, TOWNSHIP_A, 7)
    await publish_all(county.js, work + dispatch_events(county.identity, TOWNSHIP_B, 3))

    async def received() -> bool:
        inbox = (await sync_status(township.client, township.identity)).inbox
        return inbox is not None and inbox.reachable and inbox.stored == 7 and inbox.behind == 0

    await wait_until(received, within=30)
