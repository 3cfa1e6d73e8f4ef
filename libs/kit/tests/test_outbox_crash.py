"""Exactly once into the stream although the relay process is SIGKILLed mid-way, twice.

The relay runs in a child process (sunshine_kit.testing.crashing_relay) that kills itself with SIGKILL
before its N-th publish (rows committed, not published) or right after it (published and acked, not yet
marked sent); a final run finishes the outbox. The stream must then hold every event exactly once.
"""

from __future__ import annotations

import asyncio
import signal
import sys

import pytest
from google.protobuf.wrappers_pb2 import StringValue
from nats.js import JetStreamContext
from sqlalchemy import MetaData, func, select
from sqlalchemy.ext.asyncio import AsyncEngine
from sunshine.events.v1.envelope_pb2 import Envelope
from sunshine_kit.db import session_factory
from sunshine_kit.envelope import new_event
from sunshine_kit.identity import Level, StackIdentity
from sunshine_kit.jetstream import EVENTS_STREAM, ensure_stream, event_stream_config
from sunshine_kit.outbox import Outbox, outbox_table
from sunshine_kit.testing import IsolatedDatabase, stored_messages
from sunshine_kit.testing.crashing_relay import AFTER_PUBLISH, BEFORE_PUBLISH

COUNTY = StackIdentity(Level.COUNTY, "510117", "测试县")
EVENTS = 20
KILLED = -signal.SIGKILL


async def run_relay(database: IsolatedDatabase, nats_url: str, batch_size: int, *kill: str) -> int:
    args = ["--database-url", database.url, "--nats-url", nats_url, "--batch-size", str(batch_size), *kill]
    if database.schema:
        args += ["--schema", database.schema]
    child = await asyncio.create_subprocess_exec(sys.executable, "-m", "sunshine_kit.testing.crashing_relay", *args)
    return await asyncio.wait_for(child.wait(), 120)


async def stored_ids(js: JetStreamContext) -> list[str]:
    """The event ids in the stream, read from the stored envelopes."""
    return [Envelope.FromString(message.data).id for message in await stored_messages(js, EVENTS_STREAM)]


async def unsent(engine: AsyncEngine, outbox: Outbox) -> int:
    async with engine.connect() as connection:
        query = select(func.count()).select_from(outbox.table).where(outbox.table.c.sent_at.is_(None))
        return await connection.scalar(query) or 0


@pytest.mark.parametrize(
    ("batch_size", "after_first_crash", "after_second_crash"),
    [
        # One batch: nothing is marked sent before the crashes, so the second run republishes rows 1-6.
        (100, (6, 20), (9, 20)),
        # Batches of 4: run 1 marks rows 1-4 and dies before row 7; run 2 republishes 5-6, marks 5-12 and
        # dies after publishing row 13.
        (4, (6, 16), (13, 8)),
    ],
    ids=["one-batch", "small-batches"],
)
async def test_relay_killed_before_and_after_publishing_still_publishes_each_event_once(
    database: IsolatedDatabase,
    db_engine: AsyncEngine,
    js: JetStreamContext,
    nats_url: str,
    batch_size: int,
    after_first_crash: tuple[int, int],
    after_second_crash: tuple[int, int],
) -> None:
    await ensure_stream(js, event_stream_config(COUNTY))
    metadata = MetaData()
    outbox = Outbox(outbox_table(metadata))
    async with db_engine.begin() as connection:
        await connection.run_sync(metadata.create_all)
    events = [new_event(COUNTY, "hotline", "ticket", "accepted", StringValue(value=f"t{n}")) for n in range(EVENTS)]
    async with session_factory(db_engine)() as session, session.begin():
        for event in events:
            await outbox.add(session, event)
    ids = [event.id for event in events]

    # Rows committed; the relay dies just before its 7th publish.
    assert await run_relay(database, nats_url, batch_size, "--kill", BEFORE_PUBLISH, "--at", "7") == KILLED
    stored, still_unsent = after_first_crash
    assert await stored_ids(js) == ids[:stored]
    assert await unsent(db_engine, outbox) == still_unsent

    # Restarted: it republishes what was not marked sent, and dies right after its 9th publish is acked.
    assert await run_relay(database, nats_url, batch_size, "--kill", AFTER_PUBLISH, "--at", "9") == KILLED
    stored, still_unsent = after_second_crash
    assert await stored_ids(js) == ids[:stored]
    assert await unsent(db_engine, outbox) == still_unsent

    # Restarted again, it finishes: every event is in the stream once, in order, and marked sent.
    assert await run_relay(database, nats_url, batch_size) == 0
    assert await stored_ids(js) == ids
    assert await unsent(db_engine, outbox) == 0
