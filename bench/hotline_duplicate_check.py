"""The duplicate check (并单) per intake at 1,000,000 stored tickets, next to a primary-key read of one ticket
from the same table, in one run, on SQLite and (if reachable) PostgreSQL.

    uv run python bench/hotline_duplicate_check.py [--stored 1000000] [--checks 200]

Stored tickets are spread over 365 days and 50 places (so a 7-day window holds about 19,000 of them, some 400
per place); each check is what intake does: `TicketRepository.duplicate_candidates` (indexed on accepted_at,
place and caller key, at most 500 candidates) plus `DuplicateRule.matches` (character-bigram similarity in
Python). Reported: p50/p95 of the whole check, of its query alone, and of the primary-key read.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

from hotline.adapters.personal_data import PersonalDataCipher
from hotline.adapters.tables import metadata, tickets
from hotline.adapters.ticket_repository import TicketRepository
from hotline.domain.caller import Caller
from hotline.domain.duplicates import DuplicateRule
from hotline.domain.ticket import Intake, Ticket
from hotline.domain.time_limits import TimeLimits
from hotline.domain.vocabulary import Category, Channel
from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncEngine
from sunshine_kit.db import create_engine, session_factory
from sunshine_kit.testing import IsolatedDatabase
from sunshine_kit.testing.databases import DEFAULT_POSTGRES_URL, postgres_answers
from sunshine_kit.working_days import WorkingDayCalendar

PLACES = [f"510117{n:03d}" for n in range(101, 151)]
PHRASES = [
    "楼下垃圾堆放多日无人清运",
    "夜间施工噪声扰民",
    "路灯不亮",
    "小区停车位被占",
    "下水道堵塞返臭",
    "公交站台破损",
]
NOW = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)
CHUNK = 20_000


def stored_row(rng: random.Random) -> dict[str, object]:
    accepted = NOW - timedelta(seconds=rng.randrange(365 * 86400))
    return {
        "id": str(uuid.uuid4()),
        "category": "COMPLAINT",
        "topic": "环境卫生",
        "channel": "phone",
        "place_division": rng.choice(PLACES),
        "address": "",
        "description": f"{rng.choice(PHRASES)}，第{rng.randrange(1000)}号楼附近",
        "state": "CLOSED",
        "accepted_at": accepted,
        "due_at": accepted + timedelta(days=15),
        "caller_key": f"{rng.randrange(10**12):064d}",
    }


async def fill(engine: AsyncEngine, count: int) -> float:
    async with engine.begin() as connection:
        await connection.run_sync(metadata.create_all)
    rng = random.Random(7)
    started = time.perf_counter()
    for offset in range(0, count, CHUNK):
        rows = [stored_row(rng) for _ in range(min(CHUNK, count - offset))]
        async with engine.begin() as connection:
            await connection.execute(insert(tickets), rows)
    return time.perf_counter() - started


def new_ticket(rng: random.Random, limits: TimeLimits) -> Ticket:
    caller = Caller(name="", phone=f"139{rng.randrange(10**8):08d}", id_number="")
    text = f"{rng.choice(PHRASES)}，第{rng.randrange(1000)}号楼附近"
    intake = Intake(Category.COMPLAINT, "环境卫生", Channel.PHONE, rng.choice(PLACES), "", text, caller=caller)
    return Ticket.accept(intake, NOW, limits)


async def measure(engine: AsyncEngine, checks: int) -> dict[str, list[float]]:
    sessions = session_factory(engine)
    cipher, rule = PersonalDataCipher(bytes(32)), DuplicateRule()
    limits, rng = TimeLimits(WorkingDayCalendar()), random.Random(11)
    timings: dict[str, list[float]] = {"check": [], "query": [], "primary key read": []}
    async with sessions() as session:
        known = list((await session.execute(select(tickets.c.id).limit(checks))).scalars())
        repository = TicketRepository(session, cipher)
        for n in range(checks):
            ticket = new_ticket(rng, limits)
            started = time.perf_counter()
            candidates = await repository.duplicate_candidates(ticket, NOW - rule.window)
            queried = time.perf_counter()
            rule.matches(ticket.description, ticket.place_division, cipher.caller_key(ticket.caller), NOW, candidates)
            timings["check"].append(time.perf_counter() - started)
            timings["query"].append(queried - started)
            started = time.perf_counter()
            await session.execute(select(tickets).where(tickets.c.id == known[n % len(known)]))
            timings["primary key read"].append(time.perf_counter() - started)
    return timings


async def run_on(label: str, engine: AsyncEngine, args: argparse.Namespace) -> None:
    filled = await fill(engine, args.stored)
    timings = await measure(engine, args.checks)
    baseline = statistics.median(timings["primary key read"])
    print(f"{label}: {args.stored:,} tickets stored in {filled:.0f}s")
    for name, values in timings.items():
        values.sort()
        p50, p95 = statistics.median(values), values[int(len(values) * 0.95) - 1]
        print(f"  {name:<17} p50 {p50 * 1000:7.2f} ms  p95 {p95 * 1000:7.2f} ms  ({p50 / baseline:5.1f}× the key read)")
    await engine.dispose()


async def main(args: argparse.Namespace) -> None:
    with tempfile.TemporaryDirectory() as workdir:
        await run_on("SQLite", create_engine(f"sqlite+aiosqlite:///{Path(workdir) / 'hotline.db'}"), args)
    if await postgres_answers(DEFAULT_POSTGRES_URL) is None:
        database = await IsolatedDatabase.new_postgres_schema(DEFAULT_POSTGRES_URL)
        try:
            await run_on("PostgreSQL", database.create_engine(), args)
        finally:
            await database.drop()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--stored", type=int, default=1_000_000)
    parser.add_argument("--checks", type=int, default=200)
    asyncio.run(main(parser.parse_args()))
