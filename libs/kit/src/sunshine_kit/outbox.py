"""The transactional outbox: events are rows written in the same transaction as the state change, and a relay
publishes them to the local JetStream afterwards, in order, at least once (the stream drops the repeats).
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from nats.js import JetStreamContext
from nats.js.api import PubAck
from sqlalchemy import (
    BigInteger,
    Column,
    DateTime,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    Row,
    String,
    Table,
    func,
    insert,
    select,
    text,
    update,
)
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession
from sunshine.events.v1.envelope_pb2 import Envelope

from sunshine_kit.envelope import Event
from sunshine_kit.jetstream import TRACEPARENT_HEADER, publish_event, trace_headers

log = logging.getLogger(__name__)

OUTBOX_TABLE = "outbox"

Publish = Callable[[JetStreamContext, Event, Mapping[str, str]], Awaitable[PubAck]]


def outbox_table(metadata: MetaData, name: str = OUTBOX_TABLE) -> Table:
    """The outbox, attached to the service's own metadata so its migrations create it."""
    return Table(
        name,
        metadata,
        # SQLite only auto-increments an INTEGER PRIMARY KEY.
        Column("sequence", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True),
        Column("event_id", String(36), nullable=False, unique=True),
        Column("subject", String(255), nullable=False),
        Column("envelope", LargeBinary, nullable=False),
        Column("traceparent", String(55)),
        Column("created_at", DateTime(timezone=True), nullable=False),
        Column("sent_at", DateTime(timezone=True)),
        Index(
            f"ix_{name}_unsent",
            "sequence",
            postgresql_where=text("sent_at IS NULL"),
            sqlite_where=text("sent_at IS NULL"),
        ),
    )


@dataclass(frozen=True)
class Backlog:
    """Events committed and not yet acknowledged by JetStream."""

    events: int
    oldest_created_at: datetime | None


class Outbox:
    """Writes events into the caller's transaction; they exist exactly when the state change commits."""

    def __init__(self, table: Table) -> None:
        self.table = table

    async def backlog(self, engine: AsyncEngine) -> Backlog:
        unsent = self.table.c.sent_at.is_(None)
        query = select(func.count(), func.min(self.table.c.created_at)).where(unsent)
        async with engine.connect() as connection:
            events, oldest = (await connection.execute(query)).one()
        # SQLite returns naive datetimes; every outbox timestamp is written in UTC.
        if oldest is not None and oldest.tzinfo is None:
            oldest = oldest.replace(tzinfo=UTC)
        return Backlog(events, oldest)

    async def add(self, session: AsyncSession, event: Event) -> None:
        await session.execute(
            insert(self.table).values(
                event_id=event.id,
                subject=event.subject,
                envelope=event.envelope.SerializeToString(),
                # The relay publishes later, outside this request's trace: keep the context of the write.
                traceparent=trace_headers().get(TRACEPARENT_HEADER),
                created_at=datetime.now(UTC),
            )
        )


class OutboxRelay:
    """Publishes unsent outbox rows in sequence order with Nats-Msg-Id = event id, then marks them sent.

    Run one per service process (`run()`); call `notify()` after every commit that added events. With
    PostgreSQL, each batch holds an advisory lock, so however many replicas run, one relays at a time. A
    SQLite database has a single service process.
    """

    def __init__(
        self,
        engine: AsyncEngine,
        outbox: Outbox,
        js: JetStreamContext,
        *,
        batch_size: int = 100,
        poll_interval: float = 1.0,
        retry_wait: float = 1.0,
        publish: Publish = publish_event,
    ) -> None:
        self._engine = engine
        self._outbox = outbox
        self._table = outbox.table
        self._js = js
        self._batch_size = batch_size
        self._poll_interval = poll_interval
        self._retry_wait = retry_wait
        self._publish = publish
        self._wake = asyncio.Event()
        self._lock_key: int | None = None

    def notify(self) -> None:
        """New rows were committed: relay them now instead of at the next poll."""
        self._wake.set()

    async def pending(self) -> int:
        """The backlog: rows committed but not yet acknowledged by JetStream."""
        return (await self._outbox.backlog(self._engine)).events

    async def run(self) -> None:
        """Relay until cancelled. Failures (database or NATS down) are logged and retried; nothing is dropped."""
        while True:
            self._wake.clear()
            try:
                relayed = await self.relay_batch()
            except Exception:
                log.exception("outbox relay failed; retrying in %.1fs", self._retry_wait)
                await asyncio.sleep(self._retry_wait)
                continue
            if relayed < self._batch_size:
                await self._wait_for_work()

    async def relay_batch(self) -> int:
        """Publish one batch of unsent rows and mark them sent; the number relayed (0 if another replica
        holds the relay's turn)."""
        async with self._engine.connect() as connection, self._turn(connection) as mine:
            if not mine:
                return 0
            rows = await self._unsent(connection)
            for row in rows:
                await self._publish(self._js, _event(row), _headers(row))
            await self._mark_sent(connection, [row.sequence for row in rows])
            return len(rows)

    async def _wait_for_work(self) -> None:
        try:
            await asyncio.wait_for(self._wake.wait(), self._poll_interval)
        except TimeoutError:
            pass

    @asynccontextmanager
    async def _turn(self, connection: AsyncConnection) -> AsyncIterator[bool]:
        """Mutual exclusion between replicas for one batch: a session advisory lock on PostgreSQL, tried
        without waiting (a replica that finds it taken tries again at its next poll)."""
        if connection.dialect.name != "postgresql":
            yield True
            return
        key = await self._advisory_lock_key(connection)
        async with connection.begin():
            mine = await connection.scalar(select(func.pg_try_advisory_lock(key)))
        if not mine:
            yield False
            return
        try:
            yield True
        finally:
            await _unlock(connection, key)

    async def _advisory_lock_key(self, connection: AsyncConnection) -> int:
        """Derived from schema and table, so services sharing one PostgreSQL database do not contend."""
        if self._lock_key is None:
            async with connection.begin():
                schema = await connection.scalar(select(func.current_schema()))
            digest = hashlib.sha256(f"sunshine.outbox:{schema}.{self._table.name}".encode()).digest()
            self._lock_key = int.from_bytes(digest[:8], "big", signed=True)
        return self._lock_key

    async def _unsent(self, connection: AsyncConnection) -> Sequence[Row[Any]]:
        table = self._table
        query = (
            select(table.c.sequence, table.c.subject, table.c.envelope, table.c.traceparent)
            .where(table.c.sent_at.is_(None))
            .order_by(table.c.sequence)
            .limit(self._batch_size)
        )
        async with connection.begin():
            return (await connection.execute(query)).all()

    async def _mark_sent(self, connection: AsyncConnection, sequences: list[int]) -> None:
        if not sequences:
            return
        table = self._table
        async with connection.begin():
            await connection.execute(
                update(table).where(table.c.sequence.in_(sequences)).values(sent_at=datetime.now(UTC))
            )


async def _unlock(connection: AsyncConnection, key: int) -> None:
    try:
        async with connection.begin():
            await connection.execute(select(func.pg_advisory_unlock(key)))
    except BaseException:
        # Back in the pool, a connection still holding the lock would block every other replica's relay;
        # closing the session releases it.
        await connection.invalidate()
        raise


def _event(row: Row[Any]) -> Event:
    return Event(row.subject, Envelope.FromString(row.envelope))


def _headers(row: Row[Any]) -> dict[str, str]:
    return {TRACEPARENT_HEADER: row.traceparent} if row.traceparent else {}
