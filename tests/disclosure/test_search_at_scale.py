"""The search on a generated catalogue, on SQLite and on PostgreSQL: the same hits, scores and order as an exhaustive
ranking computed here from the domain's tokens and weights, and document frequencies that follow every reindex."""

from __future__ import annotations

import random
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from alembic import command
from alembic.config import Config
from disclosure.adapters.catalogue_search import EVERY_ENTRY, count_tokens, reindex, search_entries
from disclosure.adapters.tables import catalogue_entries, search_postings, search_tokens
from disclosure.domain import search
from disclosure.domain.search_query import SearchQuery
from disclosure.main import MIGRATIONS
from sqlalchemy import Connection, insert, select, update
from sqlalchemy.ext.asyncio import AsyncEngine
from sunshine_kit.db import session_factory
from sunshine_kit.migrations import upgrade_to_head

WORDS = "老旧小区 改造 政府采购 财政 预算 三公经费 宅基地 社会救助 资金 通知 办法 管理 成都市 锦江区 人民政府".split()
PREFIXES = ("成办发", "成财预", "锦府发")
AREAS = ("财政预决算", "政府采购", "")
ORGANS = ("成都市财政局", "锦江区人民政府")
QUERIES = [
    "老旧小区改造", "政府采购", "财政", "成都", "资金管理", "宅基地", "通知", "成办发〔2019〕12号",
    "成财预[2021]7号", "成办发(2020)", "2021", "锦江区人民政府办法", "社会救助资金", "市", "不存在的词",
    "老旧小区改造方案", "三公经费的预算", "宅基地审批", "不存在的资金",
]  # fmt: skip


def _corpus(count: int, rng: random.Random) -> list[dict]:
    rows = []
    for n in range(count):
        formed = date(2018, 1, 1) + timedelta(days=rng.randrange(2500))
        rows.append(
            {
                "id": str(uuid.UUID(int=rng.getrandbits(128))), "index_number": f"510100-{n:08d}",
                "title": "".join(rng.choices(WORDS, k=rng.randint(2, 4))), "issuing_organ": rng.choice(ORGANS),
                "document_number": f"{rng.choice(PREFIXES)}〔{formed.year}〕{rng.randint(1, 30)}号",
                "formed_on": formed, "due_on": formed + timedelta(days=28),
                # many ties on purpose: a few days of publication, so the id breaks ties too
                "published_at": datetime(2026, 1, 1 + n % 3, tzinfo=UTC),
                "body": "，".join(rng.choices(WORDS, k=rng.randint(3, 8))), "key_area": rng.choice(AREAS),
                "validity": "现行有效", "state": rng.choice(["published"] * 8 + ["repealed", "draft"]),
            }
        )  # fmt: skip
    return rows


def _weights(row: dict) -> dict[str, int]:
    return search.postings({"title": row["title"], "document_number": row["document_number"], "body": row["body"]})


def _exhaustive(rows: list[dict], query: SearchQuery, budget: int = search.CANDIDATE_POSTINGS) -> list[tuple]:
    """Every public entry scored in Python: those holding at least half of the query's tokens (a partial one also one
    of the plan's source tokens), by tokens held, then Σ weight × idf over them, then newest, then id."""
    public = [row for row in rows if row["state"] in ("published", "repealed")]
    weights = {row["id"]: _weights(row) for row in public}
    tokens = search.query_tokens(query.text)
    frequency = {token: sum(token in held for held in weights.values()) for token in tokens}
    idf = {token: search.idf(len(public), frequency[token]) for token in tokens if frequency[token]}
    known = {token: df for token, df in frequency.items() if df}
    sources = set(search.QueryPlan(tuple(tokens), known, len(public), budget).sources)
    hits = []
    for row in public:
        held = [token for token in tokens if token in weights[row["id"]]]
        partial = len(held) < len(tokens)
        if not tokens or len(held) < (len(tokens) + 1) // 2 or not _kept(row, query):
            continue
        if partial and not sources & set(held):
            continue
        hits.append((row, len(held), sum(weights[row["id"]][token] * idf[token] for token in held)))
    hits.sort(key=lambda hit: (-hit[1], -hit[2], -hit[0]["published_at"].timestamp(), hit[0]["id"]))
    page = hits[query.offset : query.offset + query.limit]
    return [(row["id"], score, held < len(tokens)) for row, held, score in page]


def _kept(row: dict, query: SearchQuery) -> bool:
    return (
        (not query.key_area or row["key_area"] == query.key_area)
        and (not query.issuing_organ or row["issuing_organ"] == query.issuing_organ)
        and (not query.validity or row["validity"] == query.validity)
        and (query.formed_from is None or row["formed_on"] >= query.formed_from)
        and (query.formed_to is None or row["formed_on"] <= query.formed_to)
    )


async def _load(engine: AsyncEngine, rows: list[dict]) -> None:
    sessions = session_factory(engine)
    async with sessions() as session, session.begin():
        await session.execute(insert(catalogue_entries), rows)
        for row in rows:
            public = row["state"] in ("published", "repealed")
            await reindex(session, row["id"], _weights(row) if public else None)


async def _found(engine: AsyncEngine, query: SearchQuery, budget: int = search.CANDIDATE_POSTINGS) -> list[tuple]:
    async with session_factory(engine)() as session:
        return [(hit.entry_id, hit.score, hit.partial) for hit in await search_entries(session, query, budget)]


async def _frequencies(engine: AsyncEngine) -> tuple[dict[str, int], dict[str, int]]:
    async with engine.connect() as connection:
        kept = dict((await connection.execute(select(search_tokens.c.token, search_tokens.c.entries))).all())
        counted = dict((await connection.execute(count_tokens())).all())
    return kept, counted


def _queries() -> list[SearchQuery]:
    queries = [SearchQuery(text, limit=100) for text in QUERIES]
    queries += [SearchQuery(text, limit=7, offset=offset) for text in ("财政", "成都", "通知") for offset in (0, 7, 21)]
    # partial matches, pages across the border between complete and partial ones and past every complete one
    partial = ("老旧小区改造方案", "政府采购资金管理办法", "宅基地社会救助", "锦江区财政局通知")
    queries += [SearchQuery(text, limit=5, offset=offset) for text in partial for offset in (0, 3, 5, 40, 90)]
    queries += [
        SearchQuery("资金", key_area="财政预决算"), SearchQuery("成都", issuing_organ="锦江区人民政府"),
        SearchQuery("预算", validity="现行有效"), SearchQuery("老旧", formed_from=date(2020, 1, 1)),
        SearchQuery("通知", formed_to=date(2019, 6, 30), limit=50),
    ]  # fmt: skip
    return queries


async def test_the_ranking_is_the_exhaustive_one(db_engine: AsyncEngine) -> None:
    await upgrade_to_head(db_engine, MIGRATIONS)
    rows = _corpus(400, random.Random(4))
    await _load(db_engine, rows)
    pages = []
    for query in _queries():
        pages.append(await _found(db_engine, query))
        assert pages[-1] == _exhaustive(rows, query), query
    assert any({partial for _, _, partial in page} == {True, False} for page in pages)  # a page across the border


async def test_partial_matches_come_only_from_the_rarer_pairs_within_the_budget(db_engine: AsyncEngine) -> None:
    await upgrade_to_head(db_engine, MIGRATIONS)
    rows = _corpus(400, random.Random(5))
    await _load(db_engine, rows)
    for budget in (0, 60, 150, 400):
        for text in ("老旧小区改造方案", "政府采购资金管理办法", "成办发〔2019〕12号", "锦江区财政局通知"):
            query = SearchQuery(text, limit=100)
            assert await _found(db_engine, query, budget) == _exhaustive(rows, query, budget), (text, budget)
    number = SearchQuery("成办发〔2019〕12号", limit=100)
    assert len(await _found(db_engine, number, 10**6)) > len(await _found(db_engine, number, 60))


async def test_document_frequencies_follow_every_reindex(db_engine: AsyncEngine) -> None:
    await upgrade_to_head(db_engine, MIGRATIONS)
    rng = random.Random(7)
    rows = _corpus(120, rng)
    await _load(db_engine, rows)
    kept, counted = await _frequencies(db_engine)
    assert kept == counted
    assert kept[EVERY_ENTRY] == sum(row["state"] != "draft" for row in rows)
    async with session_factory(db_engine)() as session, session.begin():
        for row in rng.sample(rows, 60):  # revisions with other words, and drafts being published
            row.update(title="".join(rng.choices(WORDS, k=3)), body=rng.choice(WORDS), state="published")
            values = {"title": row["title"], "body": row["body"], "state": row["state"]}
            await session.execute(update(catalogue_entries).where(catalogue_entries.c.id == row["id"]).values(values))
            await reindex(session, row["id"], _weights(row))
    kept, counted = await _frequencies(db_engine)
    assert kept == counted
    assert all(entries > 0 for entries in kept.values())
    for query in _queries():
        assert await _found(db_engine, query) == _exhaustive(rows, query), query


async def test_the_migration_indexes_the_entries_already_public(db_engine: AsyncEngine) -> None:
    rows = _corpus(50, random.Random(9))
    async with db_engine.begin() as connection:
        await connection.run_sync(_upgrade, "0007")
        await connection.execute(insert(catalogue_entries), [{**row, "content": "{}"} for row in rows])
        postings = [
            {"token": token, "entry_id": row["id"], "weight": weight}
            for row in rows if row["state"] != "draft"
            for token, weight in _weights(row).items()
        ]  # fmt: skip
        await connection.execute(insert(search_postings), postings)
        await connection.run_sync(_upgrade, "head")
    kept, counted = await _frequencies(db_engine)
    assert kept == counted
    assert kept[EVERY_ENTRY] == sum(row["state"] != "draft" for row in rows)
    for query in _queries():
        assert await _found(db_engine, query) == _exhaustive(rows, query), query


def _upgrade(connection: Connection, revision: str) -> None:
    config = Config()
    config.set_main_option("script_location", str(Path(MIGRATIONS)))
    config.attributes["connection"] = connection
    command.upgrade(config, revision)


@pytest.mark.parametrize("typed", ["成办发〔2019〕12号", "成办发[2019]12号", "成办发［2019］12号", "成办发(2019)12号"])
async def test_document_numbers_rank_alike_whatever_the_brackets(db_engine: AsyncEngine, typed: str) -> None:
    await upgrade_to_head(db_engine, MIGRATIONS)
    rows = _corpus(200, random.Random(11))
    rows[0].update(document_number="成办发〔2019〕12号", state="published")
    await _load(db_engine, rows)
    found = await _found(db_engine, SearchQuery(typed))
    assert found == _exhaustive(rows, SearchQuery("成办发〔2019〕12号"))
    assert (rows[0]["id"], False) in [(entry_id, partial) for entry_id, _, partial in found]
