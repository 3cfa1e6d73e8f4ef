"""Natural phrasings find what they mean: the labelled queries of search_recall_set.json (written for this by an AI
assistant, not real queries) against the ranking, on SQLite and PostgreSQL; bench/disclosure_search.py prints the
measures next to the behaviour before partial matches."""

from __future__ import annotations

import json
from pathlib import Path

from disclosure.adapters.catalogue_search import search_entries
from disclosure.domain.search_query import Hit, SearchQuery
from disclosure.main import MIGRATIONS
from sqlalchemy.ext.asyncio import AsyncEngine
from sunshine_kit.db import session_factory
from sunshine_kit.migrations import upgrade_to_head

from bench.disclosure_search import load_labelled

LABELLED = json.loads((Path(__file__).parent / "search_recall_set.json").read_text(encoding="utf-8"))
TOP = 10


async def _search(engine: AsyncEngine, text: str) -> list[Hit]:
    async with session_factory(engine)() as session:
        return await search_entries(session, SearchQuery(text, limit=TOP))


async def test_partial_matches_find_more_and_never_push_a_complete_match_down(db_engine: AsyncEngine) -> None:
    await upgrade_to_head(db_engine, MIGRATIONS)
    await load_labelled(db_engine, LABELLED["entries"])
    found_before = found_now = 0
    for labelled in LABELLED["queries"]:
        hits = await _search(db_engine, labelled["q"])
        complete = [hit.title for hit in hits if not hit.partial]
        assert [hit.title for hit in hits[: len(complete)]] == complete, labelled["q"]  # complete ones lead
        relevant = set(labelled["relevant"])
        found_before += len(relevant & set(complete))
        found_now += len(relevant & {hit.title for hit in hits})
    assert found_now > found_before


async def test_the_issues_example_finds_the_implementation_plan(db_engine: AsyncEngine) -> None:
    await upgrade_to_head(db_engine, MIGRATIONS)
    await load_labelled(db_engine, LABELLED["entries"])
    [first, *_] = await _search(db_engine, "改造方案")
    assert (first.title, first.partial) == ("关于印发《成都市老旧小区改造实施方案》的通知", True)
    exact = await _search(db_engine, "老旧小区改造实施方案")
    assert (exact[0].title, exact[0].partial) == ("关于印发《成都市老旧小区改造实施方案》的通知", False)
