"""Publishing numbered events at a stack and checking, by event id, what reached a stream upstream."""

from __future__ import annotations

import asyncio
from collections import Counter

from nats.js import JetStreamContext
from sunshine.events.v1.envelope_pb2 import Envelope
from sunshine.events.v1.hotline_pb2 import TicketAccepted
from sunshine_kit.envelope import Event, event_for
from sunshine_kit.identity import StackIdentity
from sunshine_kit.jetstream import publish_event
from sunshine_kit.levels import addressed_to, replied_to
from sunshine_kit.testing.streams import stored_messages
from sunshine_kit.testing.waiting import wait_until

SETTLE_S = 1.0


def ticket_events(identity: StackIdentity, count: int) -> list[Event]:
    return [event_for(identity, "hotline", TicketAccepted(ticket_id=f"{identity.division}-{n}")) for n in range(count)]


def dispatch_events(parent: StackIdentity, child: str, count: int) -> list[Event]:
    return [addressed_to(child, event) for event in ticket_events(parent, count)]


def reply_events(child: StackIdentity, count: int) -> list[Event]:
    assert child.parent_division is not None
    return [replied_to(child.parent_division, event) for event in ticket_events(child, count)]


async def publish_all(js: JetStreamContext, events: list[Event]) -> None:
    for event in events:
        await publish_event(js, event, headers={})


async def stored_ids(js: JetStreamContext, stream: str) -> Counter[str]:
    return Counter(Envelope.FromString(m.data).id for m in await stored_messages(js, stream))


async def wait_for_count(js: JetStreamContext, stream: str, count: int, within: float = 60) -> None:
    async def enough() -> bool:
        return (await js.stream_info(stream)).state.messages >= count

    await wait_until(enough, within=within, interval=0.1)


async def assert_exactly_once(js: JetStreamContext, stream: str, events: list[Event]) -> None:
    """Every event id in `stream` exactly once: none missing, none doubled."""
    await wait_for_count(js, stream, len(events))
    await asyncio.sleep(SETTLE_S)  # a late duplicate would land now; the check below must see it
    ids = await stored_ids(js, stream)
    expected = {event.id for event in events}
    assert set(ids) == expected, f"missing {len(expected - set(ids))}, unexpected {len(set(ids) - expected)}"
    doubled = {event_id: n for event_id, n in ids.items() if n > 1}
    assert not doubled, f"{len(doubled)} events stored more than once"
