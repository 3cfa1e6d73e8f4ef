"""The stack's EVENTS stream and publishing events to it, against a real nats-server."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from google.protobuf.wrappers_pb2 import StringValue
from nats.js import JetStreamContext
from nats.js.api import RetentionPolicy, StorageType
from opentelemetry import trace
from sunshine.events.v1.envelope_pb2 import Envelope
from sunshine_kit.envelope import Event, new_event
from sunshine_kit.identity import Level, StackIdentity
from sunshine_kit.jetstream import (
    EVENTS_STREAM,
    MSG_ID_HEADER,
    TRACEPARENT_HEADER,
    connect,
    durable_pull_consumer,
    ensure_stream,
    event_stream_config,
    publish_event,
)
from sunshine_kit.testing import NatsServer, stored_messages

COUNTY = StackIdentity(Level.COUNTY, "510117", "测试县")
TOWNSHIP = StackIdentity(Level.TOWNSHIP, "510117101", "测试镇", parent_division="510117")


def ticket_accepted(n: int = 0) -> Event:
    return new_event(COUNTY, "hotline", "ticket", "accepted", StringValue(value=f"ticket {n}"))


def test_the_stream_captures_only_its_own_divisions_events_and_not_its_dispatches() -> None:
    config = event_stream_config(COUNTY, max_age=timedelta(days=7), duplicate_window=timedelta(minutes=5))

    assert config.name == EVENTS_STREAM
    assert config.subjects == [f"sunshine.510117.{service}.>" for service in ("disclosure", "hotline", "evaluation")]
    assert all(s.startswith("sunshine.510117101.") for s in event_stream_config(TOWNSHIP).subjects)
    assert not any(s.startswith("sunshine.510117.dispatch") for s in config.subjects)
    assert config.retention == RetentionPolicy.LIMITS
    assert config.storage == StorageType.FILE
    assert config.max_age == 7 * 24 * 3600
    assert config.duplicate_window == 300


async def test_ensure_stream_twice_leaves_one_stream(js: JetStreamContext) -> None:
    first = await ensure_stream(js, event_stream_config(COUNTY))
    second = await ensure_stream(js, event_stream_config(COUNTY))

    assert first.config.name == second.config.name == EVENTS_STREAM
    assert [info.config.name for info in await js.streams_info()] == [EVENTS_STREAM]


async def test_ensure_stream_from_many_processes_at_once(nats_url: str) -> None:
    clients = [await connect(nats_url, f"replica-{n}") for n in range(8)]
    try:
        infos = await asyncio.gather(
            *(ensure_stream(client.jetstream(), event_stream_config(COUNTY)) for client in clients)
        )
        names = [info.config.name for info in await clients[0].jetstream().streams_info()]
    finally:
        for client in clients:
            await client.close()

    assert {info.config.name for info in infos} == {EVENTS_STREAM}
    assert names == [EVENTS_STREAM]


async def test_ensure_stream_applies_a_changed_config(js: JetStreamContext) -> None:
    await ensure_stream(js, event_stream_config(COUNTY, max_age=timedelta(days=30)))
    await js.publish("sunshine.510117.hotline.ticket.accepted", b"kept across the update")

    await ensure_stream(js, event_stream_config(COUNTY, max_age=timedelta(days=90)))

    info = await js.stream_info(EVENTS_STREAM)
    assert info.config.max_age == 90 * 24 * 3600
    assert info.state.messages == 1


async def test_a_republished_event_is_stored_once(js: JetStreamContext) -> None:
    await ensure_stream(js, event_stream_config(COUNTY))
    event = ticket_accepted()

    first = await publish_event(js, event)
    again = await publish_event(js, event)

    assert not first.duplicate
    assert again.duplicate
    [stored] = await stored_messages(js, EVENTS_STREAM)
    assert stored.subject == "sunshine.510117.hotline.ticket.accepted"
    assert stored.headers[MSG_ID_HEADER] == event.id
    assert Envelope.FromString(stored.data) == event.envelope


async def test_publish_carries_the_trace_context(js: JetStreamContext, span_exporter: object) -> None:
    await ensure_stream(js, event_stream_config(COUNTY))

    with trace.get_tracer("test").start_as_current_span("accept ticket") as span:
        await publish_event(js, ticket_accepted())

    [stored] = await stored_messages(js, EVENTS_STREAM)
    context = span.get_span_context()
    version, trace_id, parent_id, _flags = stored.headers[TRACEPARENT_HEADER].split("-")
    assert (version, trace_id, parent_id) == ("00", f"{context.trace_id:032x}", f"{context.span_id:016x}")


async def test_publish_waits_out_a_server_restart(nats_server: NatsServer) -> None:
    client = await connect(nats_server.url, "publisher")
    js = client.jetstream()
    try:
        await ensure_stream(js, event_stream_config(COUNTY))
        nats_server.kill()
        event = ticket_accepted()
        publishing = asyncio.create_task(publish_event(js, event, ack_timeout=0.5))
        await asyncio.sleep(1.0)  # let it fail and retry while the server is down
        assert not publishing.done()

        await asyncio.to_thread(nats_server.start)
        await asyncio.wait_for(publishing, 30)
        stored = await stored_messages(js, EVENTS_STREAM)
    finally:
        await client.close()

    assert [message.headers[MSG_ID_HEADER] for message in stored] == [event.id]


async def test_replicas_bind_one_durable_consumer(js: JetStreamContext, nats_url: str) -> None:
    await ensure_stream(js, event_stream_config(COUNTY))
    other = await connect(nats_url, "replica-2")
    try:
        await durable_pull_consumer(js, "evaluation", "sunshine.510117.hotline.>")
        await durable_pull_consumer(other.jetstream(), "evaluation", "sunshine.510117.hotline.>")
        consumers = await js.consumers_info(EVENTS_STREAM)
    finally:
        await other.close()

    assert [(c.name, c.config.filter_subject) for c in consumers] == [("evaluation", "sunshine.510117.hotline.>")]
