"""NATS JetStream plumbing: connecting, the stack's EVENTS stream, publishing events, durable pull consumers.

The W3C trace context travels in NATS headers (`traceparent`), injected and extracted with the globally
configured OpenTelemetry propagator, the headers dict being the carrier.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping, Sequence
from datetime import timedelta

import nats.errors
from nats.aio.client import Client as NATS
from nats.js import JetStreamContext
from nats.js.api import (
    AckPolicy,
    ConsumerConfig,
    DeliverPolicy,
    DiscardPolicy,
    PubAck,
    RetentionPolicy,
    StorageType,
    StreamConfig,
    StreamInfo,
)
from nats.js.errors import BadRequestError, NoStreamResponseError, ServiceUnavailableError
from opentelemetry import propagate

from sunshine_kit.envelope import SUBJECT_ROOT, Event
from sunshine_kit.identity import StackIdentity

log = logging.getLogger(__name__)

EVENTS_STREAM = "EVENTS"
# The services whose events make up a stack's EVENTS stream (and so travel upward).
EVENT_PRODUCERS = ("disclosure", "hotline", "evaluation")
MSG_ID_HEADER = "Nats-Msg-Id"
TRACEPARENT_HEADER = "traceparent"
# How long the stream keeps events: longer than any outage of the link to the parent we promise to survive,
# since the parent sources from this stream when the link returns.
DEFAULT_MAX_AGE = timedelta(days=30)
# How long the server remembers a Nats-Msg-Id. A retried publish comes from the relay retrying through a
# nats-server restart, or a relay restarted after a crash: minutes. An hour covers a slow restart of the
# machine too, and costs the server one small map entry per event of the last hour. Beyond it, consumers'
# inboxes still drop the duplicate by event id.
DEFAULT_DUPLICATE_WINDOW = timedelta(hours=1)
STREAM_NAME_IN_USE = 10058  # JetStream err_code: a stream of this name exists with another config

_RETRYABLE = (
    nats.errors.TimeoutError,  # server restarting, or request lost in a reconnect
    nats.errors.NoRespondersError,
    nats.errors.OutboundBufferLimitError,  # disconnected, and the reconnect buffer is full
    NoStreamResponseError,  # no stream (yet) listens on the subject
    ServiceUnavailableError,  # JetStream still recovering after a restart
)


async def connect(url: str, name: str, reconnect_wait: float = 0.5) -> NATS:
    """A connection that keeps reconnecting, forever, also when the server is down at start-up."""
    client = NATS()

    async def error(problem: Exception) -> None:
        log.warning("nats %s: %r", name, problem)

    async def disconnected() -> None:
        if not client.is_closed:
            log.warning("nats %s: disconnected from %s; reconnecting", name, url)

    async def reconnected() -> None:
        log.info("nats %s: reconnected to %s", name, client.connected_url)

    await client.connect(
        url,
        name=name,
        max_reconnect_attempts=-1,
        reconnect_time_wait=reconnect_wait,  # type: ignore[arg-type]  # seconds; a float works
        connect_timeout=2,
        error_cb=error,
        disconnected_cb=disconnected,
        reconnected_cb=reconnected,
    )
    return client


async def server_answers(client: NATS, within: float) -> bool:
    """The server answers a JetStream API request within `within` seconds. A hung server (SIGSTOP, a stalled
    disk) keeps its TCP connection, so `is_connected` stays true until the client's pings run out (minutes);
    readiness asks this instead. A request, not a PING: nats-py breaks its reader when the PONG of a flush
    that timed out comes late."""
    if not client.is_connected:
        return False
    try:
        await client.jetstream(timeout=within).account_info()
    except (TimeoutError, nats.errors.Error):
        return False
    return True


def events_subjects(division: str) -> list[str]:
    """A stack's own events, one subject tree per producing service. `sunshine.<division>.dispatch.>` is not
    among them: dispatched work goes to the DISPATCH stream and never travels upward (sunshine_kit.levels)."""
    return [f"{SUBJECT_ROOT}.{division}.{service}.>" for service in EVENT_PRODUCERS]


def event_stream_config(
    identity: StackIdentity,
    *,
    max_age: timedelta = DEFAULT_MAX_AGE,
    duplicate_window: timedelta = DEFAULT_DUPLICATE_WINDOW,
    replicas: int = 1,
) -> StreamConfig:
    """The stack's local event log. It captures only its own division's subjects: subjects leak across leaf
    links within an account, so stacks must not overlap."""
    return StreamConfig(
        name=EVENTS_STREAM,
        description=f"Events of {identity.name} ({identity.division})",
        subjects=events_subjects(identity.division),
        retention=RetentionPolicy.LIMITS,
        storage=StorageType.FILE,
        discard=DiscardPolicy.OLD,
        max_age=max_age.total_seconds(),
        duplicate_window=duplicate_window.total_seconds(),
        num_replicas=replicas,
    )


async def ensure_stream(js: JetStreamContext, config: StreamConfig) -> StreamInfo:
    """Create the stream, or bring an existing one to `config`. Creating with an identical config is a no-op
    on the server, so replicas starting together all succeed."""
    try:
        return await js.add_stream(config)
    except BadRequestError as error:
        if error.err_code != STREAM_NAME_IN_USE:
            raise
    return await js.update_stream(config)


def trace_headers() -> dict[str, str]:
    """The current trace context as NATS headers (empty outside a span)."""
    headers: dict[str, str] = {}
    propagate.inject(headers)
    return headers


async def publish_event(
    js: JetStreamContext,
    event: Event,
    headers: Mapping[str, str] | None = None,
    *,
    ack_timeout: float = 2.0,
    max_retry_wait: float = 2.0,
) -> PubAck:
    """Publish with Nats-Msg-Id = event id, retrying transient failures with the same id until acked: the
    server drops the copies it already stored (within the stream's duplicate_window).

    `headers` default to the current trace context; pass the ones captured when the event was written
    when publishing later (the outbox relay does).
    """
    sent = {**(trace_headers() if headers is None else headers), MSG_ID_HEADER: event.id}
    payload = event.envelope.SerializeToString()
    wait = 0.1
    while True:
        try:
            return await js.publish(event.subject, payload, timeout=ack_timeout, headers=sent)
        except _RETRYABLE as error:
            log.warning("publish %s %s: %r; retrying in %.1fs", event.subject, event.id, error, wait)
        await asyncio.sleep(wait)
        wait = min(wait * 2, max_retry_wait)


async def durable_pull_consumer(
    js: JetStreamContext,
    durable: str,
    subjects: str | Sequence[str],
    *,
    stream: str = EVENTS_STREAM,
    ack_wait: timedelta = timedelta(seconds=30),
    max_ack_pending: int = 1000,
) -> JetStreamContext.PullSubscription:
    """Create (or update) the durable consumer and bind a pull subscription to it. Every replica of a service
    binds the same durable, and the server splits the messages between their fetches.

    Redelivery limits are the caller's (the inbox terminates poison messages itself), so the server's
    max_deliver stays unlimited.
    """
    config = ConsumerConfig(
        durable_name=durable,
        name=durable,
        ack_policy=AckPolicy.EXPLICIT,
        deliver_policy=DeliverPolicy.ALL,
        ack_wait=ack_wait.total_seconds(),
        max_ack_pending=max_ack_pending,
        **_filter(subjects),
    )
    await js.add_consumer(stream, config)
    return await js.pull_subscribe_bind(durable=durable, stream=stream)


def _filter(subjects: str | Sequence[str]) -> dict[str, object]:
    if isinstance(subjects, str):
        return {"filter_subject": subjects}
    if len(subjects) == 1:
        return {"filter_subject": subjects[0]}
    return {"filter_subjects": list(subjects)}
