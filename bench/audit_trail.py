"""The audit trail's cost: the same unit of work (one outbox event per commit) committed inside an API call
(one hash-chained audit entry, the head row locked) and outside one (no entry), in the same run.

    uv run python bench/audit_trail.py [--commits 500] [--writers 8]

SQLite (a temp file) always; PostgreSQL too when SUNSHINE_TEST_POSTGRES_URL (default
postgresql+asyncpg://postgres@127.0.0.1:5432/test) answers — there with `--writers` concurrent writers as well,
since appends queue on the one head row.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path

from alembic.migration import MigrationContext
from alembic.operations import Operations
from sqlalchemy import Connection, MetaData, text
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine
from sunshine.events.v1.hotline_pb2 import TicketAccepted
from sunshine_kit.audit import AuditTrail, Call, audit_tables, in_call
from sunshine_kit.audit.migration import create_audit_trail
from sunshine_kit.auth import Principal, Role
from sunshine_kit.db import create_engine, session_factory
from sunshine_kit.identity import Level, StackIdentity
from sunshine_kit.outbox import Outbox, outbox_table
from sunshine_kit.unit_of_work import UnitOfWork

COUNTY = StackIdentity(Level.COUNTY, "510117", "样例县")
CALL = Call.of(Principal("op-1", frozenset({Role.HOTLINE_OPERATOR}), "510117"), "/bench/Accept", "203.0.113.7")
POSTGRES = os.environ.get("SUNSHINE_TEST_POSTGRES_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/test")


def _schema(connection: Connection) -> None:
    metadata = MetaData()
    outbox_table(metadata)
    metadata.create_all(connection)
    with Operations.context(MigrationContext.configure(connection)):
        create_audit_trail()


async def _commits(
    engine: AsyncEngine, count: int, writers: int, context: Callable[[], AbstractContextManager[object]]
) -> list[float]:
    metadata = MetaData()
    outbox, trail = Outbox(outbox_table(metadata)), AuditTrail(*audit_tables(metadata))
    sessions = session_factory(engine)
    latencies: list[float] = []

    async def writer(share: int) -> None:
        for _ in range(share):
            begin = time.perf_counter()
            with context():
                async with UnitOfWork(sessions, outbox, trail, COUNTY, "hotline", lambda: None) as uow:
                    await uow.publish([TicketAccepted(ticket_id=str(uuid.uuid4()))])
                    await uow.commit()
            latencies.append(time.perf_counter() - begin)

    await asyncio.gather(*(writer(count // writers) for _ in range(writers)))
    return latencies


async def prepare(engine: AsyncEngine) -> None:
    async with engine.begin() as connection:
        await connection.run_sync(_schema)
    await _commits(engine, 20, 1, nullcontext)  # warm-up


async def measure(name: str, engine: AsyncEngine, count: int, writers: int) -> None:
    for label, context in (
        ("no audit (outside a call)", nullcontext),
        ("audited (inside a call)", lambda: in_call(CALL)),
    ):
        started = time.perf_counter()
        latencies = await _commits(engine, count, writers, context)
        elapsed = time.perf_counter() - started
        p99 = sorted(latencies)[int(0.99 * (len(latencies) - 1))]
        print(
            f"{name:<24} {label:<28} {len(latencies) / elapsed:8.1f} commits/s"
            f"   p50 {statistics.median(latencies) * 1000:6.2f} ms   p99 {p99 * 1000:6.2f} ms"
        )


async def postgres_engine() -> AsyncEngine | None:
    engine = create_engine(POSTGRES)
    try:
        async with engine.connect() as connection:
            await connection.execute(text("SELECT 1"))
    except Exception:  # no server: the PostgreSQL rows are left out
        await engine.dispose()
        return None
    return engine


async def main(count: int, writers: int) -> None:
    print(f"audit trail, {count} commits of one event each")
    with tempfile.TemporaryDirectory(prefix="sunshine-bench-") as tmp:
        sqlite = create_engine(f"sqlite+aiosqlite:///{Path(tmp) / 'audit.db'}")
        await prepare(sqlite)
        await measure("SQLite, 1 writer", sqlite, count, 1)
        await sqlite.dispose()
    admin = await postgres_engine()
    if admin is None:
        print("PostgreSQL: not reachable, left out")
        return
    schema = f"bench_audit_{uuid.uuid4().hex[:8]}"
    async with admin.begin() as connection:
        await connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    engine = create_async_engine(POSTGRES, connect_args={"server_settings": {"search_path": schema}})
    try:
        await prepare(engine)
        await measure("PostgreSQL, 1 writer", engine, count, 1)
        await measure(f"PostgreSQL, {writers} writers", engine, count, writers)
    finally:
        await engine.dispose()
        async with admin.begin() as connection:
            await connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        await admin.dispose()


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--commits", type=int, default=500)
    parser.add_argument("--writers", type=int, default=8)
    arguments = parser.parse_args()
    asyncio.run(main(arguments.commits, arguments.writers))
