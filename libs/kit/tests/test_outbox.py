"""The outbox and its relay, on SQLite and PostgreSQL, against a real nats-server."""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import AsyncIterator, Mapping

import pytest
import pytest_asyncio
from google.protobuf.wrappers_pb2 import StringValue
from nats.aio.client import Client as NATS
from nats.js import JetStreamContext
from nats.js.api import PubAck
from opentelemetry import trace
from sqlalchemy import MetaData, select
from sqlalchemy.ext.asyncio import AsyncEngine
from sunshine.events.v1.envelope_pb2 import Envelope
from sunshine_kit.db import session_factory
from sunshine_kit.envelope import Event, new_event
from sunshine_kit.identity import Level, StackIdentity
from sunshine_kit.jetstream import (
    EVENTS_STREAM,
    MSG_ID_HEADER,
    TRACEPARENT_HEADER,
    ensure_stream,
    event_stream_config,
    publish_event,
)
from sunshine_kit.outbox import Outbox, OutboxRelay, outbox_table
from sunshine_kit.testing import IsolatedDatabase, NatsServer, stored_messages, wait_until

COUNTY = StackIdentity(Level.COUNTY, "510117", "测试县")


def ticket_accepted(n: int) -> Event:
    return new_event(COUNTY, "hotline", "ticket", "accepted", StringValue(value=f"ticket {n}"))


@pytest_asyncio.fixture
async def outbox(db_engine: AsyncEngine) -> Outbox:
    metadata = MetaData()
    outbox = Outbox(outbox_table(metadata))
    async with db_engine.begin() as connection:
        await connection.run_sync(metadata.create_all)
    return outbox


@pytest_asyncio.fixture
async def stream(js: JetStreamContext) -> JetStreamContext:
    await ensure_stream(js, event_stream_config(COUNTY))
    return js


async def commit_events(engine: AsyncEngine, outbox: Outbox, events: list[Event]) -> None:
    async with session_factory(engine)() as session, session.begin():
        for event in events:
            await outbox.add(session, event)


async def stored_ids(js: JetStreamContext) -> list[str]:
    return [message.headers[MSG_ID_HEADER] for message in await stored_messages(js, EVENTS_STREAM)]


@pytest_asyncio.fixture
async def running(db_engine: AsyncEngine, outbox: Outbox, stream: JetStreamContext) -> AsyncIterator[OutboxRelay]:
    relay = OutboxRelay(db_engine, outbox, stream, poll_interval=3600)
    task = asyncio.create_task(relay.run())
    yield relay
    task.cancel()
    await asyncio.gather(task, return_exceptions=True)


async def test_events_exist_only_if_the_transaction_commits(db_engine: AsyncEngine, outbox: Outbox) -> None:
    sessions = session_factory(db_engine)
    async with sessions() as session, session.begin():
        await outbox.add(session, ticket_accepted(1))
        await session.rollback()
    committed = ticket_accepted(2)
    async with sessions() as session, session.begin():
        await outbox.add(session, committed)

    async with db_engine.connect() as connection:
        rows = (await connection.execute(select(outbox.table))).all()
    assert [(row.event_id, row.subject, row.sent_at) for row in rows] == [(committed.id, committed.subject, None)]
    assert Envelope.FromString(rows[0].envelope) == committed.envelope


async def test_relay_publishes_in_order_and_marks_sent(
    db_engine: AsyncEngine, outbox: Outbox, stream: JetStreamContext
) -> None:
    events = [ticket_accepted(n) for n in range(25)]
    for chunk in (events[:10], events[10:11], events[11:]):
        await commit_events(db_engine, outbox, chunk)
    relay = OutboxRelay(db_engine, outbox, stream, batch_size=7)
    assert await relay.pending() == 25

    relayed = [await relay.relay_batch() for _ in range(5)]

    assert relayed == [7, 7, 7, 4, 0]
    assert await relay.pending() == 0
    assert await stored_ids(stream) == [event.id for event in events]
    [first, *_] = await stored_messages(stream, EVENTS_STREAM)
    assert Envelope.FromString(first.data) == events[0].envelope
    assert first.subject == events[0].subject


async def test_the_trace_context_of_the_write_travels_with_the_event(
    db_engine: AsyncEngine, outbox: Outbox, stream: JetStreamContext, span_exporter: object
) -> None:
    with trace.get_tracer("test").start_as_current_span("accept ticket") as span:
        await commit_events(db_engine, outbox, [ticket_accepted(1)])

    await OutboxRelay(db_engine, outbox, stream).relay_batch()  # outside any span

    [stored] = await stored_messages(stream, EVENTS_STREAM)
    _version, trace_id, parent_id, _flags = stored.headers[TRACEPARENT_HEADER].split("-")
    assert (trace_id, parent_id) == (
        f"{span.get_span_context().trace_id:032x}",
        f"{span.get_span_context().span_id:016x}",
    )


async def test_notify_wakes_the_relay(
    db_engine: AsyncEngine, outbox: Outbox, stream: JetStreamContext, running: OutboxRelay
) -> None:
    event = ticket_accepted(1)
    await commit_events(db_engine, outbox, [event])

    running.notify()  # the relay polls only hourly: without the notification nothing would be sent

    await wait_until(lambda: has_stored(stream, 1))
    assert await stored_ids(stream) == [event.id]


async def test_the_relay_polls_when_nobody_notifies(
    db_engine: AsyncEngine, outbox: Outbox, stream: JetStreamContext
) -> None:
    relay = OutboxRelay(db_engine, outbox, stream, poll_interval=0.05)
    task = asyncio.create_task(relay.run())
    try:
        await asyncio.sleep(0.2)  # the relay is idle, waiting for its next poll
        await commit_events(db_engine, outbox, [ticket_accepted(1)])
        await wait_until(lambda: has_stored(stream, 1))
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
    assert await relay.pending() == 0


async def has_stored(js: JetStreamContext, count: int) -> bool:
    return (await js.stream_info(EVENTS_STREAM)).state.messages >= count


async def test_relaying_resumes_after_the_nats_server_is_killed_and_restarted(
    db_engine: AsyncEngine, outbox: Outbox, nats_server: NatsServer, nats_client: NATS
) -> None:
    js = nats_client.jetstream()
    await ensure_stream(js, event_stream_config(COUNTY))
    relay = OutboxRelay(db_engine, outbox, js, poll_interval=0.1)
    task = asyncio.create_task(relay.run())
    events = [ticket_accepted(n) for n in range(20)]
    try:
        await commit_events(db_engine, outbox, events[:10])
        relay.notify()
        await wait_until(lambda: no_backlog(relay))

        nats_server.kill()
        await commit_events(db_engine, outbox, events[10:])
        relay.notify()
        await asyncio.sleep(1.0)  # the relay tries, and keeps the rows while nothing acknowledges them
        assert await relay.pending() == 10

        await asyncio.to_thread(nats_server.start)
        await wait_until(lambda: no_backlog(relay))
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)

    assert await stored_ids(js) == [event.id for event in events]


async def no_backlog(relay: OutboxRelay) -> bool:
    return await relay.pending() == 0


@pytest.mark.parametrize("database", [pytest.param("postgres", marks=pytest.mark.postgres)], indirect=True)
async def test_one_relay_at_a_time_per_database(
    database: IsolatedDatabase, db_engine: AsyncEngine, outbox: Outbox, stream: JetStreamContext
) -> None:
    await commit_events(db_engine, outbox, [ticket_accepted(n) for n in range(3)])
    publishing, release = asyncio.Event(), asyncio.Event()

    async def slow_publish(js: JetStreamContext, event: Event, headers: Mapping[str, str]) -> PubAck:
        publishing.set()
        await release.wait()
        return await publish_event(js, event, headers)

    calls: list[str] = []

    async def recorded_publish(js: JetStreamContext, event: Event, headers: Mapping[str, str]) -> PubAck:
        calls.append(event.id)
        return await publish_event(js, event, headers)

    other_replica = database.create_engine()  # its own connection pool, as in another process
    try:
        first = OutboxRelay(db_engine, outbox, stream, publish=slow_publish)
        second = OutboxRelay(other_replica, outbox, stream, publish=recorded_publish)
        busy = asyncio.create_task(first.relay_batch())
        await publishing.wait()

        assert await second.relay_batch() == 0
        release.set()
        assert await busy == 3
        assert await second.relay_batch() == 0
    finally:
        await other_replica.dispose()
    assert calls == []
    assert len(await stored_ids(stream)) == 3


async def test_relay_turn_is_released_after_each_batch(
    db_engine: AsyncEngine, outbox: Outbox, stream: JetStreamContext, database: IsolatedDatabase
) -> None:
    other_replica = database.create_engine()
    try:
        first = OutboxRelay(db_engine, outbox, stream)
        second = OutboxRelay(other_replica, outbox, stream)
        await commit_events(db_engine, outbox, [ticket_accepted(1)])
        assert await first.relay_batch() == 1
        await commit_events(db_engine, outbox, [ticket_accepted(2)])
        assert await second.relay_batch() == 1
    finally:
        await other_replica.dispose()
    assert Counter(await stored_ids(stream)).most_common(1)[0][1] == 1
