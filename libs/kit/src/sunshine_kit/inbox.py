"""The idempotent inbox and the event consumer runner.

A consumer applies an event's effect and records (consumer, event id) in one transaction, and acks only after
the commit. A redelivered event finds its id recorded and changes nothing; a handler error commits nothing and
the event comes back later.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable, Sequence
from contextlib import AbstractContextManager
from datetime import UTC, datetime, timedelta

import nats.errors
from google.protobuf.message import DecodeError
from nats.aio.msg import Msg
from nats.js import JetStreamContext
from nats.js.errors import APIError
from opentelemetry import propagate, trace
from opentelemetry.trace import SpanKind, Status, StatusCode
from sqlalchemy import Column, DateTime, Insert, MetaData, String, Table, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sunshine.events.v1.envelope_pb2 import Envelope

from sunshine_kit.jetstream import EVENTS_STREAM, durable_pull_consumer

log = logging.getLogger(__name__)

INBOX_TABLE = "inbox"

Handler = Callable[[AsyncSession, Envelope], Awaitable[None]]


def inbox_table(metadata: MetaData, name: str = INBOX_TABLE) -> Table:
    """Processed events per consumer, attached to the service's own metadata."""
    return Table(
        name,
        metadata,
        Column("consumer", String(100), primary_key=True),
        Column("event_id", String(36), primary_key=True),
        Column("processed_at", DateTime(timezone=True), nullable=False),
    )


class EventConsumer:
    """Runs `handler` once per event from a durable pull consumer. Replicas of a service run the same
    `durable` and share its messages.

    A handler error naks the message with an exponential delay; after `max_deliver` deliveries the message
    is terminated and logged as an error, as is a message that is not an envelope. While the database does
    not answer, the runner waits and retries in place instead: an outage is not the event's fault.
    """

    def __init__(
        self,
        js: JetStreamContext,
        sessions: async_sessionmaker[AsyncSession],
        inbox: Table,
        durable: str,
        subjects: str | Sequence[str],
        handler: Handler,
        *,
        stream: str = EVENTS_STREAM,
        batch_size: int = 10,
        max_deliver: int = 20,
        retry_delay: float = 1.0,
        fetch_wait: float = 5.0,
        on_commit: Callable[[], None] = lambda: None,
        max_retry_delay: float = 300.0,
        ack_wait: timedelta = timedelta(seconds=30),
    ) -> None:
        self.durable = durable
        self._js = js
        self._sessions = sessions
        self._inbox = inbox
        self._subjects = subjects
        self._handler = handler
        self._stream = stream
        self._batch_size = batch_size
        self._max_deliver = max_deliver
        self._retry_delay = retry_delay
        self._fetch_wait = fetch_wait
        self._on_commit = on_commit
        self._max_retry_delay = max_retry_delay
        self._ack_wait = ack_wait

    async def subscribe(self) -> JetStreamContext.PullSubscription:
        return await durable_pull_consumer(
            self._js, self.durable, self._subjects, stream=self._stream, ack_wait=self._ack_wait
        )

    async def run(self) -> None:
        """Consume until cancelled; re-subscribes when NATS or the consumer goes away. No error ends it:
        a consumer that died silently would leave its events pending forever."""
        while True:
            try:
                subscription = await self.subscribe()
            except (nats.errors.Error, APIError) as error:
                log.warning("consumer %s: cannot subscribe (%r); retrying", self.durable, error)
                await asyncio.sleep(self._retry_delay)
                continue
            try:
                await self._consume(subscription)
            except Exception as error:  # e.g. the consumer was deleted: subscribing creates it again
                log.warning("consumer %s: %r; re-subscribing", self.durable, error, exc_info=error)
                with contextlib.suppress(nats.errors.Error):
                    await subscription.unsubscribe()
                await asyncio.sleep(self._retry_delay)

    async def _consume(self, subscription: JetStreamContext.PullSubscription) -> None:
        while True:
            try:
                messages = await subscription.fetch(self._batch_size, timeout=self._fetch_wait)
            except (TimeoutError, nats.errors.TimeoutError):  # nothing arrived; nats-py raises either
                continue
            for message in messages:
                await self.process(message)

    async def process(self, msg: Msg) -> None:
        """Handle one delivered message and ack, nak or term it."""
        envelope = _parse(msg.data)
        if envelope is None:
            await self._terminate(msg, f"a message on {msg.subject} is not an event envelope")
            return
        event = f"event {envelope.id} ({envelope.type})"
        deliveries = msg.metadata.num_delivered
        if deliveries > self._max_deliver:
            await self._terminate(msg, f"{event} delivered {deliveries} times, at most {self._max_deliver}")
            return
        with _consumer_span(msg, envelope, self.durable) as span:
            error = await self._apply_once_database_answers(msg, envelope)
            if error is not None:
                span.record_exception(error)
                span.set_status(Status(StatusCode.ERROR, type(error).__name__))
        if error is None:
            await msg.ack()
        elif deliveries >= self._max_deliver:
            await self._terminate(msg, f"handler failed on {event} on all {deliveries} deliveries", error)
        else:
            log.warning(
                "consumer %s: handler failed on %s, delivery %d; redelivering later",
                self.durable,
                event,
                deliveries,
                exc_info=error,
            )
            await msg.nak(delay=self._nak_delay(deliveries))

    async def _terminate(self, msg: Msg, reason: str, error: Exception | None = None) -> None:
        log.error("consumer %s: TERMINATED, never redelivered: %s", self.durable, reason, exc_info=error)
        await msg.term()

    async def _apply_once_database_answers(self, msg: Msg, envelope: Envelope) -> Exception | None:
        """The handler's error, if any. Failures while the database is unreachable are retried here."""
        while True:
            try:
                await self._apply(envelope)
                return None
            except Exception as error:
                if not _lost_connection(error) and await self._database_answers():
                    return error
                log.warning(
                    "consumer %s: database unreachable on event %s (%r); waiting", self.durable, envelope.id, error
                )
            await msg.in_progress()
            await asyncio.sleep(self._retry_delay)

    async def _apply(self, envelope: Envelope) -> None:
        async with self._sessions() as session, session.begin():
            recorded = await session.execute(self._record(session, envelope.id))
            if recorded.rowcount == 0:  # processed before: a redelivery
                return
            await self._handler(session, envelope)
        self._on_commit()  # the handler may have queued events in the outbox: wake the relay

    def _record(self, session: AsyncSession, event_id: str) -> Insert:
        dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
        row = {"consumer": self.durable, "event_id": event_id, "processed_at": datetime.now(UTC)}
        return dialect.insert(self._inbox).values(row).on_conflict_do_nothing()

    async def _database_answers(self) -> bool:
        try:
            async with self._sessions() as session:
                await session.execute(text("SELECT 1"))
            return True
        except Exception:
            return False

    def _nak_delay(self, deliveries: int) -> float:
        return min(self._retry_delay * 2 ** (deliveries - 1), self._max_retry_delay)


def _lost_connection(error: BaseException | None) -> bool:
    """Refused, reset or invalidated: the database went away, whatever it was asked."""
    while error is not None:
        if isinstance(error, ConnectionError | DisconnectionError) or getattr(error, "connection_invalidated", False):
            return True
        error = error.__cause__
    return False


def _parse(data: bytes) -> Envelope | None:
    try:
        envelope = Envelope.FromString(data)
    except DecodeError:
        return None
    return envelope if envelope.id and envelope.type else None


def _consumer_span(msg: Msg, envelope: Envelope, durable: str) -> AbstractContextManager[trace.Span]:
    """A CONSUMER span, child of the producer's context carried in the traceparent header."""
    return trace.get_tracer(__name__).start_as_current_span(
        f"process {msg.subject}",
        context=propagate.extract(msg.headers or {}),
        kind=SpanKind.CONSUMER,
        record_exception=False,
        set_status_on_exception=False,
        attributes={
            "messaging.system": "nats",
            "messaging.operation.type": "process",
            "messaging.destination.name": msg.subject,
            "messaging.consumer.group.name": durable,
            "messaging.message.id": envelope.id,
        },
    )
