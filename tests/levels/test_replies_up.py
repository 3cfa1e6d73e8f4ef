"""A child replies to its parent: the reply reaches the parent's REPLY_INBOX and goes no further up, also after
a cut link, and sync status counts what the parent has not stored yet. One network for the module."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
import pytest_asyncio
from sunshine_kit.levels import REPLIES, REPLY_INBOX, ROLLUP
from sunshine_kit.sync_status import sync_status
from sunshine_kit.testing.level_network import LevelNetwork
from sunshine_kit.testing.streams import stored_messages
from sunshine_kit.testing.waiting import wait_until

from tests.levels.conftest import CITY, COUNTY, TOWNSHIP_A, TOWNSHIP_B, _running
from tests.levels.sync_checks import assert_exactly_once, publish_all, reply_events, stored_ids, ticket_events

pytestmark = pytest.mark.asyncio(loop_scope="module")


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def levels(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[LevelNetwork]:
    async for running in _running(tmp_path_factory.mktemp("replies"), proxied_links=True):
        yield running


async def test_a_reply_reaches_the_parent_only_and_goes_no_further_up(levels: LevelNetwork) -> None:
    township, county, city = levels[TOWNSHIP_A], levels[COUNTY], levels[CITY]
    replies = reply_events(township.identity, 5)
    await publish_all(township.js, replies)
    await assert_exactly_once(county.js, REPLY_INBOX, replies)

    later = ticket_events(township.identity, 1)
    await publish_all(township.js, later)  # reaches the city after the replies would have
    await assert_exactly_once(city.js, ROLLUP, later)
    for node, stream in [(city, ROLLUP), (city, REPLY_INBOX), (county, ROLLUP), (county, REPLIES)]:
        leaked = [m.subject for m in await stored_messages(node.js, stream) if ".reply." in m.subject]
        assert not leaked, f"{stream} of {node.division} holds replies: {leaked}"


async def test_replies_wait_out_a_cut_link_and_sync_status_counts_them(levels: LevelNetwork) -> None:
    township, county = levels[TOWNSHIP_B], levels[COUNTY]
    assert township.link is not None and township.client is not None and county.client is not None
    await township.link.cut()
    replies = reply_events(township.identity, 4)
    await publish_all(township.js, replies)

    at_township = await sync_status(township.client, township.identity)
    assert next(s for s in at_township.upstream if s.stream == REPLIES).behind == 4

    await township.link.restore()

    async def caught_up() -> bool:
        status = await sync_status(county.client, county.identity)
        child = next(c for c in status.children if c.division == TOWNSHIP_B)
        replies_stream = next((s for s in child.streams if s.stream == REPLIES), None)
        return child.active and child.behind == 0 and replies_stream is not None and replies_stream.last_sequence == 4

    await wait_until(caught_up, within=30)
    stored = await stored_ids(county.js, REPLY_INBOX)
    assert [stored[event.id] for event in replies] == [1, 1, 1, 1], "each reply stored once"
