"""Catalogue search latency and annual-report time, each next to a plain-SQL baseline measured in the same run.

    uv run python bench/disclosure_search.py [--entries 20000] [--requests 100000] [--rounds 5] [--vocabulary zipf]

- search: p50/p95 of the bigram index (ranked: complete matches, then partial ones) over `--entries` generated
  catalogue entries, next to a plain `LIKE '%…%'` scan of title, document number and body (no relevance: newest 20
  matches), for queries made of the corpus's words and for natural phrasings that hold words it lacks;
- recall: on a small labelled catalogue (tests/disclosure/search_recall_set.json, written for this by an AI
  assistant, not real documents or queries), recall@10, success@10 and MRR of the ranking next to today's
  behaviour before this change, complete matches only (the complete hits of the same answer: the same statement
  and order), and whether SQLite and PostgreSQL rank alike;
- annual report: reading a year of `--requests` requests and computing table 三 with its invariants checked,
  next to a bare `GROUP BY applicant_type, outcome` count;
on SQLite and, if reachable (SUNSHINE_TEST_POSTGRES_URL), PostgreSQL in a fresh schema.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import statistics
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from disclosure.adapters.catalogue_repository import CatalogueRepository
from disclosure.adapters.catalogue_search import EVERY_ENTRY, count_tokens, reindex
from disclosure.adapters.request_repository import RequestRepository
from disclosure.adapters.tables import catalogue_entries, disclosure_requests, search_postings, search_tokens
from disclosure.domain import search
from disclosure.domain.annual_report import check_table3, compute_table3
from disclosure.domain.applicants import ApplicantType
from disclosure.domain.outcomes import OUTCOMES
from disclosure.domain.search_query import SearchQuery
from disclosure.main import MIGRATIONS
from sqlalchemy import func, insert, or_, select, text
from sqlalchemy.ext.asyncio import AsyncEngine
from sunshine_kit.db import session_factory
from sunshine_kit.migrations import upgrade_to_head
from sunshine_kit.testing import IsolatedDatabase
from sunshine_kit.testing.databases import DEFAULT_POSTGRES_URL, postgres_answers

WORDS = (
    "老旧小区 改造 实施方案 财政 预算 决算 三公经费 政府采购 招标 投标 保障性住房 食品 药品 安全 环境保护 "
    "安全生产 征地 拆迁 教育 考试 招生 扶贫 资金 救灾 救济 优待 抚恤 重大项目 公务员 招考 行政许可 审批 "
    "收费 价格 农业 农村 土地 承包 宅基地 社会救助 通知 办法 意见 规定 管理 监督 检查 公告 成都市 锦江区 "
    "人民政府 办公厅 财政局 教育局 住建局 进一步 加强 规范 推进 做好 工作 年度 计划 报告"
).split()
ORGANS = ("成都市人民政府办公厅", "成都市财政局", "锦江区人民政府", "成都市教育局", "成都市住建局")
AREAS = ("财政预决算", "政府采购", "保障性住房", "食品药品安全", "教育考试及招生", "")
PREFIXES = ("成办发", "成财预", "锦府发", "成教发", "成住建发")
# A realistic vocabulary: 20,000 words of 2–4 common CJK characters, drawn Zipf-distributed (word of rank k with
# weight 1/k), as natural text is; the queries above keep their words by mixing the fixed list in.
ZIPF_WORDS = 20_000
QUERIES = (
    "老旧小区改造", "政府采购", "三公经费", "宅基地", "成办发〔2019〕12号", "成财预[2021]7号", "财政预算执行",
    "社会救助资金", "公务员招考", "环境保护监督检查",
)  # fmt: skip
# How people type: words the corpus lacks (怎么, 情况, 是多少 …) between its words, so no entry holds every pair.
NATURAL_QUERIES = (
    "改造方案", "老旧小区改造资金怎么管", "三公经费预算情况说明", "政府采购限额标准是多少", "宅基地怎么审批",
    "社会救助资金发放", "公务员招考报名时间",
)  # fmt: skip
RECALL_SET = Path(__file__).resolve().parents[1] / "tests/disclosure/search_recall_set.json"
TOP = 10
BATCH = 5000


def vocabulary(kind: str, rng: random.Random) -> tuple[list[str], list[float] | None]:
    if kind == "small":
        return list(WORDS), None
    common = [chr(0x4E00 + rng.randrange(3500)) for _ in range(3500)]
    words = [*WORDS, *("".join(rng.choices(common, k=rng.randint(2, 4))) for _ in range(ZIPF_WORDS))]
    rng.shuffle(words)
    return words, [1 / rank for rank in range(1, len(words) + 1)]


def entry_rows(count: int, rng: random.Random, kind: str) -> tuple[list[dict], list[dict]]:
    entries, postings = [], []
    words, weights = vocabulary(kind, rng)
    start = date(2015, 1, 1)
    for n in range(count):
        formed = start + timedelta(days=rng.randrange(4000))
        entry = {
            "id": str(uuid.UUID(int=rng.getrandbits(128))),
            "index_number": f"510100-{formed.year}-{n:08d}",
            "title": "".join(rng.choices(words, weights, k=rng.randint(4, 7))),
            "issuing_organ": rng.choice(ORGANS),
            "document_number": f"{rng.choice(PREFIXES)}〔{formed.year}〕{rng.randint(1, 60)}号",
            "formed_on": formed,
            "due_on": formed + timedelta(days=28),
            "published_at": datetime(formed.year, formed.month, formed.day, 2, tzinfo=UTC) + timedelta(days=7),
            "body": "，".join("".join(rng.choices(words, weights, k=4)) for _ in range(4)) + "。",
            "force_level": "其他",
            "key_area": rng.choice(AREAS),
            "validity": "现行有效",
            "state": "published",
            "version": 1,
        }
        entries.append(entry)
        fields = {"title": entry["title"], "document_number": entry["document_number"], "body": entry["body"]}
        indexed = {EVERY_ENTRY: 0, **search.postings(fields)}
        postings += [{"token": t, "entry_id": entry["id"], "weight": w} for t, w in indexed.items()]
    return entries, postings


def request_rows(count: int, year: int, rng: random.Random) -> list[dict]:
    rows = []
    for n in range(count):
        received = date(year, 1, 1) + timedelta(days=rng.randrange(365 + 60) - 30)
        answered = received + timedelta(days=rng.randrange(40)) if rng.random() < 0.9 else None
        rows.append(
            {
                "id": str(uuid.UUID(int=rng.getrandbits(128))), "number": f"510100-{n:09d}", "code_digest": "0" * 64,
                "applicant_type": str(rng.choice(list(ApplicantType))), "applicant_name": "样例",
                "applicant_phone": "", "applicant_id_number": "", "applicant_address": "", "channel": "online",
                "description": "样例申请", "state": "answered" if answered else "in_progress",
                "submitted_at": datetime(received.year, received.month, received.day, tzinfo=UTC),
                "received_on": received, "clock_started_on": received, "due_on": received + timedelta(days=28),
                "extension_days": 0, "extension_approver": "", "extension_reason": "", "paused_working_days": 0,
                "answered_on": answered, "outcome": rng.choice(OUTCOMES).code if answered else None,
                "outcome_reason": "", "overdue": False, "version": 1,
            }
        )  # fmt: skip
    return rows


async def bulk_insert(engine: AsyncEngine, table, rows: list[dict]) -> None:  # type: ignore[no-untyped-def]
    for first in range(0, len(rows), BATCH):
        async with engine.begin() as connection:
            await connection.execute(insert(table), rows[first : first + BATCH])


async def timed(run: Callable[[], Awaitable[object]], rounds: int) -> list[float]:
    samples = []
    for _ in range(rounds):
        started = time.perf_counter()
        await run()
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def percentiles(samples: list[float]) -> str:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return f"p50 {statistics.median(ordered):8.1f} ms   p95 {p95:8.1f} ms"


async def bench_backend(name: str, engine: AsyncEngine, args: argparse.Namespace) -> None:
    rng = random.Random(20260213)
    await upgrade_to_head(engine, MIGRATIONS)
    started = time.perf_counter()
    entries, postings = entry_rows(args.entries, rng, args.vocabulary)
    await bulk_insert(engine, catalogue_entries, entries)
    await bulk_insert(engine, search_postings, postings)
    async with engine.begin() as connection:
        await connection.execute(insert(search_tokens).from_select(["token", "entries"], count_tokens()))
    print(
        f"[{name}] loaded {len(entries):,} entries, {len(postings):,} postings in {time.perf_counter() - started:.0f} s"
    )
    if engine.dialect.name == "postgresql":  # statistics and visibility map, as autovacuum keeps them in service
        async with engine.connect() as connection:
            await connection.execution_options(isolation_level="AUTOCOMMIT")
            for table in (catalogue_entries, search_postings, search_tokens):
                await connection.execute(text(f"VACUUM ANALYZE {table.name}"))
    sessions = session_factory(engine)

    async def indexed(text: str) -> None:
        async with sessions() as session:
            await CatalogueRepository(session).search(SearchQuery(text))

    async def like_scan(text: str) -> None:
        pattern = f"%{text}%"
        c = catalogue_entries.c
        condition = or_(c.title.like(pattern), c.document_number.like(pattern), c.body.like(pattern))
        async with sessions() as session:
            await session.execute(select(c.id, c.title).where(condition).order_by(c.published_at.desc()).limit(20))

    for queries, kind in ((QUERIES, "corpus words"), (NATURAL_QUERIES, "natural phrasings")):
        for label, run in (("bigram index, ranked", indexed), ("LIKE scan (baseline)", like_scan)):
            per_query = {q: await timed(lambda q=q, run=run: run(q), args.rounds) for q in queries}
            samples = [ms for q in queries for ms in per_query[q]]
            print(f"[{name}] search {label:24} {percentiles(samples)}   ({len(samples)} queries, {kind})")
            if args.verbose:
                for q, query_samples in per_query.items():
                    print(f"[{name}]     {q:20} {percentiles(query_samples)}")

    await bulk_insert(engine, disclosure_requests, request_rows(args.requests, 2025, rng))

    async def report() -> None:
        async with sessions() as session:
            facts = await RequestRepository(session).report_facts(2025)
        check_table3(compute_table3(facts, 2025))

    async def group_by() -> None:
        r = disclosure_requests.c
        async with sessions() as session:
            await session.execute(
                select(r.applicant_type, r.outcome, func.count()).group_by(r.applicant_type, r.outcome)
            )

    for label, run in (("table 三, checked", report), ("GROUP BY count (baseline)", group_by)):
        print(f"[{name}] report {label:24} {percentiles(await timed(run, args.rounds))}   ({args.requests:,} requests)")


async def recall_backend(name: str, engine: AsyncEngine) -> dict[str, list[list[tuple[str, bool]]]]:
    """The labelled catalogue published, each labelled query asked; prints the measures of both behaviours."""
    labelled = json.loads(RECALL_SET.read_text(encoding="utf-8"))
    await upgrade_to_head(engine, MIGRATIONS)
    await load_labelled(engine, labelled["entries"])
    sessions = session_factory(engine)
    answers = []
    for query in labelled["queries"]:
        async with sessions() as session:
            hits = await CatalogueRepository(session).search(SearchQuery(query["q"], limit=TOP))
        answers.append([(hit.title, hit.partial) for hit in hits])
    behaviours = {
        "today: every pair required": [[title for title, partial in hits if not partial] for hits in answers],
        "ranked, partial matches too": [[title for title, _ in hits] for hits in answers],
    }
    print(f"[{name}] recall on {len(labelled['queries'])} labelled queries, {len(labelled['entries'])} entries "
          f"(written by an AI assistant, not real queries), top {TOP}:")  # fmt: skip
    for label, lists in behaviours.items():
        print(f"[{name}]   {label:28} {measures(lists, [q['relevant'] for q in labelled['queries']])}")
    return {"answers": answers}


def measures(found: list[list[str]], relevant: list[list[str]]) -> str:
    pairs = list(zip(found, relevant, strict=True))
    recall = statistics.mean(len(set(f) & set(r)) / len(r) for f, r in pairs)
    success = statistics.mean(bool(set(f) & set(r)) for f, r in pairs)
    reciprocal = [next((1 / (i + 1) for i, title in enumerate(f) if title in r), 0.0) for f, r in pairs]
    shown = sum(len(f) for f in found)
    precision = sum(len(set(f) & set(r)) for f, r in pairs) / max(shown, 1)
    empty = sum(not f for f in found)
    return (f"recall@{TOP} {recall:.2f}  success@{TOP} {success:.2f}  MRR {statistics.mean(reciprocal):.2f}  "
            f"relevant/shown {precision:.2f} ({shown} shown)  no result {empty}")  # fmt: skip


async def load_labelled(engine: AsyncEngine, entries: list[dict]) -> None:
    rows = []
    for n, entry in enumerate(entries):
        formed = date.fromisoformat(entry["formed_on"])
        rows.append({
            **entry, "id": str(uuid.UUID(int=n + 1)), "index_number": f"510100-{formed.year}-{n:08d}",
            "formed_on": formed, "due_on": formed + timedelta(days=28), "force_level": "其他", "validity": "现行有效",
            "published_at": datetime(formed.year, formed.month, formed.day, 2, tzinfo=UTC), "state": "published",
            "version": 1,
        })  # fmt: skip
    async with session_factory(engine)() as session, session.begin():
        await session.execute(insert(catalogue_entries), rows)
        for row in rows:
            fields = {"title": row["title"], "document_number": row["document_number"], "body": row["body"]}
            await reindex(session, row["id"], search.postings(fields))


async def on_each_backend(run: Callable[[str, AsyncEngine], Awaitable[object]]) -> dict[str, object]:
    """`run` on a fresh SQLite file and, if reachable (SUNSHINE_TEST_POSTGRES_URL), a fresh PostgreSQL schema."""
    results: dict[str, object] = {}
    with tempfile.TemporaryDirectory() as scratch:
        engine = IsolatedDatabase(f"sqlite+aiosqlite:///{Path(scratch) / 'bench.db'}").create_engine()
        try:
            results["sqlite"] = await run("sqlite", engine)
        finally:
            await engine.dispose()
    url = os.environ.get("SUNSHINE_TEST_POSTGRES_URL") or DEFAULT_POSTGRES_URL
    problem = await postgres_answers(url)
    if problem:
        print(f"[postgres] skipped: {problem}")
        return results
    database = await IsolatedDatabase.new_postgres_schema(url)
    engine = database.create_engine()
    try:
        results["postgres"] = await run("postgres", engine)
    finally:
        await engine.dispose()
        await database.drop()
    return results


async def main(args: argparse.Namespace) -> None:
    rankings = await on_each_backend(recall_backend)
    if len(rankings) == 2:
        alike = "yes" if rankings["sqlite"] == rankings["postgres"] else "NO"
        print(f"recall: SQLite and PostgreSQL rank alike: {alike}")
    if not args.recall_only:
        await on_each_backend(lambda name, engine: bench_backend(name, engine, args))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--entries", type=int, default=20_000, help="100000 for the issue's figure (≈5 min to load)")
    parser.add_argument("--requests", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=5, help="runs of each query")
    parser.add_argument(
        "--vocabulary", choices=("small", "zipf"), default="zipf", help="≈70 words, or 20,000 Zipf-distributed"
    )
    parser.add_argument("--verbose", action="store_true", help="also print each query's p50/p95")
    parser.add_argument("--recall-only", action="store_true", help="only the recall on the labelled queries")
    asyncio.run(main(parser.parse_args()))
