"""The audit trail of one service database: an append-only, hash-chained table.

Each entry's hash is SHA-256 over its own fields and the previous entry's hash, so changing, removing or
reordering an entry breaks the chain from there on, and the `audit_head` row (the last sequence number and hash)
shows a removed tail. Appends lock that one head row (SELECT … FOR UPDATE; SQLite's writers are serialised
anyway) as the last step before the commit, so concurrent writers never fork the chain and hold the lock only
for the commit. Triggers refuse UPDATE and DELETE on entries (`migration.py`).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import AsyncIterator, Callable, Sequence
from dataclasses import asdict, dataclass, fields, replace
from datetime import UTC, datetime

from google.protobuf.message import Message
from sqlalchemy import BigInteger, Column, DateTime, Index, Integer, MetaData, String, Table, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from sunshine_kit.audit.call import Call
from sunshine_kit.timestamps import as_utc

LOG_TABLE, HEAD_TABLE = "audit_log", "audit_head"
GENESIS = "0" * 64
HEAD_ID = 1
VERIFY_CHUNK = 1000
MAX_LIST, DEFAULT_LIST = 1000, 100


def audit_tables(metadata: MetaData) -> tuple[Table, Table]:
    """The entries and the chain's head, attached to the service's own metadata (migration.py creates them)."""
    log = Table(
        LOG_TABLE,
        metadata,
        Column("seq", BigInteger, primary_key=True, autoincrement=False),
        Column("at", DateTime(timezone=True), nullable=False),
        Column("subject", String(200), nullable=False),
        Column("roles", String(200), nullable=False),
        Column("division", String(9), nullable=False),
        Column("action", String(100), nullable=False),
        Column("record", String(200), nullable=False),
        Column("call", String(200), nullable=False),
        Column("client_address", String(100), nullable=False),
        Column("previous_hash", String(64), nullable=False),
        Column("hash", String(64), nullable=False),
        Index("ix_audit_log_record", "record"),
        Index("ix_audit_log_subject_at", "subject", "at"),
        Index("ix_audit_log_at", "at"),
    )
    head = Table(
        HEAD_TABLE,
        metadata,
        Column("id", Integer, primary_key=True, autoincrement=False),
        Column("seq", BigInteger, nullable=False),
        Column("hash", String(64), nullable=False),
    )
    return log, head


@dataclass(frozen=True)
class AuditEntry:
    seq: int
    at: datetime
    subject: str
    roles: str
    division: str
    action: str
    record: str
    call: str
    client_address: str
    previous_hash: str
    hash: str = ""

    def computed_hash(self) -> str:
        at = as_utc(self.at).astimezone(UTC)
        values = [getattr(self, f.name) for f in fields(self) if f.name not in ("at", "hash")]
        canonical = json.dumps([at.isoformat(), *values], ensure_ascii=False, separators=(",", ":"))
        return hashlib.sha256(canonical.encode()).hexdigest()


@dataclass(frozen=True)
class AuditQuery:
    subject: str = ""
    record: str = ""
    since: datetime | None = None
    until: datetime | None = None
    after_seq: int = 0
    limit: int = DEFAULT_LIST


@dataclass(frozen=True)
class Verification:
    entries: int
    intact: bool
    first_broken_seq: int = 0
    problem: str = ""
    head_seq: int = 0
    head_hash: str = GENESIS


def record_of(message: Message) -> str:
    """The record an event or a request is about: its first field when that is an id (`ticket_id` →
    `ticket:<id>`), else none."""
    first = message.DESCRIPTOR.fields_by_number.get(1)
    if first is None or not first.name.endswith("_id") or first.type != first.TYPE_STRING:
        return ""
    return f"{first.name.removesuffix('_id')}:{getattr(message, first.name)}"


class AuditTrail:
    def __init__(self, log: Table, head: Table, clock: Callable[[], datetime] = lambda: datetime.now(UTC)) -> None:
        self._log = log
        self._head = head
        self._clock = clock

    async def append(self, session: AsyncSession, call: Call, actions: Sequence[tuple[str, str]]) -> None:
        """One entry per (action, record), chained onto the head, in the caller's transaction."""
        locked = select(self._head.c.seq, self._head.c.hash).where(self._head.c.id == HEAD_ID).with_for_update()
        seq, previous = (await session.execute(locked)).one()
        now, rows = self._clock(), []
        for action, record in actions:
            seq += 1
            fields = (
                call.subject,
                ",".join(call.roles),
                call.division,
                action,
                record,
                call.method,
                call.client_address,
            )
            entry = AuditEntry(seq, now, *self._fitted(fields), previous)
            entry = replace(entry, hash=entry.computed_hash())
            previous = entry.hash
            rows.append(asdict(entry))
        await session.execute(insert(self._log), rows)
        await session.execute(update(self._head).where(self._head.c.id == HEAD_ID).values(seq=seq, hash=previous))

    def _fitted(self, values: Sequence[str]) -> list[str]:
        """Each text cut to its column's length (a long subject must not fail the change it records)."""
        columns = ("subject", "roles", "division", "action", "record", "call", "client_address")
        return [value[: self._log.c[name].type.length] for name, value in zip(columns, values, strict=True)]

    async def entries(self, session: AsyncSession, query: AuditQuery) -> list[AuditEntry]:
        log = self._log.c
        statement = select(self._log).where(log.seq > query.after_seq).order_by(log.seq).limit(query.limit)
        for column, value in ((log.subject, query.subject), (log.record, query.record)):
            if value:
                statement = statement.where(column == value)
        if query.since is not None:
            statement = statement.where(log.at >= query.since)
        if query.until is not None:
            statement = statement.where(log.at < query.until)
        return [AuditEntry(**{**row._mapping, "at": as_utc(row.at)}) for row in await session.execute(statement)]

    async def verify(self, session: AsyncSession) -> Verification:
        """Walks every entry up to the head, in order: consecutive numbers, each linked to the one before, each
        hash right, and the last one the head names. The head is read first, so entries appended meanwhile are
        left for the next check. The first entry's link is taken as given (entries before it may have been
        archived, docs/auth.md)."""
        head_seq, head_hash = (await session.execute(select(self._head.c.seq, self._head.c.hash))).one()
        count, last = 0, None
        async for entry in self._up_to(session, head_seq):
            problem = _problem(last, entry)
            if problem:
                return Verification(count, False, entry.seq, problem)
            count, last = count + 1, entry
        last_seq, last_hash = (last.seq, last.hash) if last else (0, GENESIS)
        if (head_seq, head_hash) != (last_seq, last_hash):
            problem = f"the head names entry {head_seq}, the last entry is {last_seq}: newer entries are missing"
            return Verification(count, False, last_seq + 1, problem, head_seq, head_hash)
        return Verification(count, True, head_seq=head_seq, head_hash=head_hash)

    async def _up_to(self, session: AsyncSession, last: int) -> AsyncIterator[AuditEntry]:
        after = 0
        while True:
            chunk = [
                e for e in await self.entries(session, AuditQuery(after_seq=after, limit=VERIFY_CHUNK)) if e.seq <= last
            ]
            for entry in chunk:
                yield entry
            if len(chunk) < VERIFY_CHUNK:
                return
            after = chunk[-1].seq


def _problem(previous: AuditEntry | None, entry: AuditEntry) -> str:
    if previous is not None and entry.seq != previous.seq + 1:
        return f"entries {previous.seq + 1}–{entry.seq - 1} are missing"
    if previous is not None and entry.previous_hash != previous.hash:
        return f"entry {entry.seq} does not link to entry {previous.seq}"
    if entry.hash != entry.computed_hash():
        return f"entry {entry.seq} was changed after it was written"
    return ""
