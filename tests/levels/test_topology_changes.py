"""Children join and leave by configuration; a restarted parent sources a new child's whole history."""

from __future__ import annotations

import dataclasses

from sunshine_kit.identity import ChildStack, Level, StackIdentity
from sunshine_kit.levels import ROLLUP
from sunshine_kit.testing.level_network import LevelNetwork

from tests.levels.conftest import COUNTY, TOWNSHIP_A
from tests.levels.sync_checks import assert_exactly_once, publish_all, ticket_events, wait_for_count

NEW_TOWNSHIP = "510117103"


async def test_a_new_township_joining_a_running_county_brings_its_earlier_history(
    network: LevelNetwork, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    newcomer = network.add(tmp_path, StackIdentity(Level.TOWNSHIP, NEW_TOWNSHIP, "新镇", parent_division=COUNTY))
    await network.start_node(newcomer)
    history = ticket_events(newcomer.identity, 300)
    await publish_all(newcomer.js, history)  # before the county knows it

    county = network[COUNTY]
    children = (*county.identity.children, ChildStack(NEW_TOWNSHIP, "新镇"))
    await county.provision(dataclasses.replace(county.identity, children=children))

    await assert_exactly_once(county.js, ROLLUP, history)


async def test_removing_a_township_stops_its_sync_and_keeps_what_arrived(network: LevelNetwork) -> None:
    county, township = network[COUNTY], network[TOWNSHIP_A]
    received = ticket_events(township.identity, 100)
    await publish_all(township.js, received)
    await assert_exactly_once(county.js, ROLLUP, received)

    remaining = tuple(c for c in county.identity.children if c.division != TOWNSHIP_A)
    await county.provision(dataclasses.replace(county.identity, children=remaining))
    later = ticket_events(township.identity, 50)
    await publish_all(township.js, later)
    # Something that does arrive, sent after the township's events, proves the wait was long enough.
    marker = ticket_events(network["510117102"].identity, 1)
    await publish_all(network["510117102"].js, marker)
    await wait_for_count(county.js, ROLLUP, len(received) + 1)

    await assert_exactly_once(county.js, ROLLUP, received + marker)
