"""The idempotent inbox and the consumer runner, on SQLite and PostgreSQL, against a real nats-server."""

from __future__ import annotations

import asyncio
import logging
from collections import Counter
from collections.abc import AsyncIterator

import nats.errors
import pytest
import pytest_asyncio
import sqlalchemy.event
from google.protobuf.wrappers_pb2 import StringValue
from nats.js import JetStreamContext
from nats.js.errors import NotFoundError
from opentelemetry import trace
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind
from sqlalchemy import Column, Integer, MetaData, String, Table, func, insert, select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from sunshine.events.v1.envelope_pb2 import Envelope
from sunshine_kit.db import session_factory
from sunshine_kit.envelope import Event, new_event
from sunshine_kit.identity import Level, StackIdentity
from sunshine_kit.inbox import EventConsumer, Handler, inbox_table
from sunshine_kit.jetstream import (
    EVENTS_STREAM,
    MSG_ID_HEADER,
    connect,
    ensure_stream,
    event_stream_config,
    publish_event,
)
from sunshine_kit.testing import IsolatedDatabase, wait_until

COUNTY = StackIdentity(Level.COUNTY, "510117", "测试县")
SUBJECTS = "sunshine.510117.hotline.>"
DURABLE = "evaluation-tickets"


class Store:
    """A service database with an inbox and one table the handler writes its effect to."""

    def __init__(self, engine: AsyncEngine) -> None:
        self.metadata = MetaData()
        self.inbox = inbox_table(self.metadata)
        self.effects = Table(
            "effects",
            self.metadata,
            Column("id", Integer, primary_key=True, autoincrement=True),
            Column("event_id", String(36), nullable=False),  # not unique: a doubled effect must show
            Column("replica", String(20), nullable=False),
        )
        self.engine = engine
        self.sessions = session_factory(engine)

    def handler(self, replica: str = "one") -> Handler:
        async def record_effect(session: AsyncSession, envelope: Envelope) -> None:
            await session.execute(insert(self.effects).values(event_id=envelope.id, replica=replica))

        return record_effect

    async def effects_by_event(self) -> Counter[str]:
        async with self.engine.connect() as connection:
            return Counter((await connection.scalars(select(self.effects.c.event_id))).all())

    async def effect_count(self) -> int:
        async with self.engine.connect() as connection:
            return await connection.scalar(select(func.count()).select_from(self.effects)) or 0

    async def inbox_rows(self) -> list[tuple[str, str]]:
        async with self.engine.connect() as connection:
            return [
                tuple(row) for row in await connection.execute(select(self.inbox.c.consumer, self.inbox.c.event_id))
            ]


@pytest_asyncio.fixture
async def store(db_engine: AsyncEngine) -> Store:
    store = Store(db_engine)
    async with db_engine.begin() as connection:
        await connection.run_sync(store.metadata.create_all)
    return store


@pytest_asyncio.fixture
async def stream(js: JetStreamContext) -> JetStreamContext:
    await ensure_stream(js, event_stream_config(COUNTY))
    return js


def ticket_accepted(n: int = 0) -> Event:
    return new_event(COUNTY, "hotline", "ticket", "accepted", StringValue(value=f"ticket {n}"))


def consumer(
    js: JetStreamContext, sessions: async_sessionmaker[AsyncSession], store: Store, handler: Handler, **options: object
) -> EventConsumer:
    return EventConsumer(js, sessions, store.inbox, DURABLE, SUBJECTS, handler, **options)  # type: ignore[arg-type]


async def fetch_one(subscription: JetStreamContext.PullSubscription) -> nats.aio.msg.Msg:
    [message] = await subscription.fetch(1, timeout=5)
    return message


async def nothing_left(subscription: JetStreamContext.PullSubscription) -> bool:
    try:
        await subscription.fetch(1, timeout=0.5)
    except nats.errors.TimeoutError:
        return True
    return False


async def test_a_redelivered_event_changes_nothing(stream: JetStreamContext, store: Store) -> None:
    event = ticket_accepted()
    payload = event.envelope.SerializeToString()
    # The same envelope twice, as after a republish beyond the duplicate window.
    await stream.publish(event.subject, payload, headers={MSG_ID_HEADER: f"{event.id}-1"})
    await stream.publish(event.subject, payload, headers={MSG_ID_HEADER: f"{event.id}-2"})
    runner = consumer(stream, store.sessions, store, store.handler())
    subscription = await runner.subscribe()

    for _ in range(2):
        await runner.process(await fetch_one(subscription))

    assert await store.effects_by_event() == Counter({event.id: 1})
    assert await store.inbox_rows() == [(DURABLE, event.id)]
    info = await subscription.consumer_info()
    assert (info.num_ack_pending, info.num_pending) == (0, 0)


async def test_a_failed_handler_commits_nothing_and_the_event_comes_back(
    stream: JetStreamContext, store: Store
) -> None:
    event = ticket_accepted()
    await publish_event(stream, event)
    record_effect = store.handler()
    attempts = 0

    async def fails_once(session: AsyncSession, envelope: Envelope) -> None:
        nonlocal attempts
        attempts += 1
        await record_effect(session, envelope)
        if attempts == 1:
            raise RuntimeError("downstream hiccup")

    runner = consumer(stream, store.sessions, store, fails_once, retry_delay=0.05)
    subscription = await runner.subscribe()

    await runner.process(await fetch_one(subscription))
    assert await store.inbox_rows() == []
    assert await store.effect_count() == 0

    redelivered = await fetch_one(subscription)
    assert (Envelope.FromString(redelivered.data).id, redelivered.metadata.num_delivered) == (event.id, 2)
    await runner.process(redelivered)
    assert await store.inbox_rows() == [(DURABLE, event.id)]
    assert await store.effects_by_event() == Counter({event.id: 1})
    assert await nothing_left(subscription)


async def test_a_message_that_is_not_an_envelope_is_terminated(
    stream: JetStreamContext, store: Store, caplog: pytest.LogCaptureFixture
) -> None:
    await stream.publish("sunshine.510117.hotline.ticket.accepted", b"\xff\xfe not an envelope")
    handled: list[Envelope] = []

    async def handler(session: AsyncSession, envelope: Envelope) -> None:
        handled.append(envelope)

    runner = consumer(stream, store.sessions, store, handler, retry_delay=0.05)
    subscription = await runner.subscribe()

    await runner.process(await fetch_one(subscription))

    assert handled == []
    assert await nothing_left(subscription)
    assert any(r.levelno == logging.ERROR and "TERMINATED" in r.getMessage() for r in caplog.records)


async def test_an_event_failing_on_every_delivery_is_terminated_after_max_deliver(
    stream: JetStreamContext, store: Store, caplog: pytest.LogCaptureFixture
) -> None:
    event = ticket_accepted()
    await publish_event(stream, event)
    attempts = 0

    async def always_fails(session: AsyncSession, envelope: Envelope) -> None:
        nonlocal attempts
        attempts += 1
        raise ValueError("a bug in the handler")

    runner = consumer(stream, store.sessions, store, always_fails, max_deliver=3, retry_delay=0.01)
    subscription = await runner.subscribe()

    for _ in range(3):
        await runner.process(await fetch_one(subscription))

    assert attempts == 3
    assert await nothing_left(subscription)
    assert await store.inbox_rows() == []
    terminated = [r for r in caplog.records if r.levelno == logging.ERROR and "TERMINATED" in r.getMessage()]
    assert len(terminated) == 1 and event.id in terminated[0].getMessage()


async def test_an_event_delivered_too_often_is_terminated_unhandled(stream: JetStreamContext, store: Store) -> None:
    await publish_event(stream, ticket_accepted())
    runner = consumer(stream, store.sessions, store, store.handler(), max_deliver=2)
    subscription = await runner.subscribe()
    for _ in range(2):  # two deliveries that never finished, as if the process died handling them
        await (await fetch_one(subscription)).nak()

    await runner.process(await fetch_one(subscription))

    assert await store.effect_count() == 0
    assert await nothing_left(subscription)


async def test_the_consumer_span_continues_the_producers_trace(
    stream: JetStreamContext, store: Store, span_exporter: InMemorySpanExporter
) -> None:
    with trace.get_tracer("test").start_as_current_span("accept ticket") as producer:
        await publish_event(stream, ticket_accepted())
    runner = consumer(stream, store.sessions, store, store.handler())
    subscription = await runner.subscribe()

    await runner.process(await fetch_one(subscription))

    [span] = [s for s in span_exporter.get_finished_spans() if s.kind == SpanKind.CONSUMER]
    assert span.name == "process sunshine.510117.hotline.ticket.accepted"
    assert span.context.trace_id == producer.get_span_context().trace_id
    assert span.parent is not None and span.parent.span_id == producer.get_span_context().span_id


@pytest_asyncio.fixture
async def replicas(nats_url: str) -> AsyncIterator[list[JetStreamContext]]:
    clients = [await connect(nats_url, f"evaluation-{n}") for n in range(2)]
    yield [client.jetstream() for client in clients]
    for client in clients:
        await client.close()


async def test_replicas_on_one_durable_split_the_work_without_doubling_it(
    stream: JetStreamContext, store: Store, replicas: list[JetStreamContext]
) -> None:
    events = [ticket_accepted(n) for n in range(200)]
    for event in events:
        await publish_event(stream, event)
    runners = [
        consumer(js, store.sessions, store, store.handler(f"replica-{n}"), batch_size=5)
        for n, js in enumerate(replicas)
    ]
    tasks = [asyncio.create_task(runner.run()) for runner in runners]
    try:
        await wait_until(lambda: all_acked(stream, len(events)), within=60)
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    assert await store.effects_by_event() == Counter({event.id: 1 for event in events})
    assert len(await store.inbox_rows()) == len(events)
    async with store.engine.connect() as connection:
        per_replica = Counter((await connection.scalars(select(store.effects.c.replica))).all())
    assert set(per_replica) == {"replica-0", "replica-1"}


async def test_an_event_arriving_after_idle_fetches_is_still_consumed(stream: JetStreamContext, store: Store) -> None:
    """Regression: an idle fetch of a batch times out with asyncio.TimeoutError, which once ended the runner
    silently and left every later event pending."""
    runner = consumer(stream, store.sessions, store, store.handler("only"), batch_size=10, fetch_wait=0.2)
    task = asyncio.create_task(runner.run())
    try:
        await asyncio.sleep(1.0)  # several empty fetches
        event = ticket_accepted()
        await publish_event(stream, event)

        async def applied() -> bool:
            return await store.effects_by_event() == Counter({event.id: 1})

        await wait_until(applied, within=30)
        assert not task.done()
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)


async def all_acked(js: JetStreamContext, count: int) -> bool:
    try:
        info = await js.consumer_info(EVENTS_STREAM, DURABLE)
    except NotFoundError:  # the runners have not created it yet
        return False
    return info.ack_floor.stream_seq >= count and info.num_ack_pending == 0


async def test_while_the_database_is_unreachable_the_event_waits_in_place(
    stream: JetStreamContext, store: Store, database: IsolatedDatabase
) -> None:
    event = ticket_accepted()
    await publish_event(stream, event)
    engine = database.create_engine()
    down = True

    @sqlalchemy.event.listens_for(engine.sync_engine, "do_connect")
    def refuse(*_args: object) -> None:
        if down:
            raise ConnectionRefusedError("database down")

    runner = consumer(stream, session_factory(engine), store, store.handler(), retry_delay=0.05, max_deliver=1)
    subscription = await runner.subscribe()
    try:
        handling = asyncio.create_task(runner.process(await fetch_one(subscription)))
        await asyncio.sleep(1.0)  # many failed attempts: none may count as a delivery
        assert not handling.done()

        down = False
        await asyncio.wait_for(handling, 30)
    finally:
        await engine.dispose()

    assert await store.effects_by_event() == Counter({event.id: 1})
    info = await subscription.consumer_info()
    assert (info.num_redelivered, info.num_ack_pending, info.num_pending) == (0, 0, 0)
