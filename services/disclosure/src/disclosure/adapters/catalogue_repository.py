from __future__ import annotations

from datetime import date

from sqlalchemy import ColumnElement, case, func, insert, select
from sqlalchemy.ext.asyncio import AsyncSession
from sunshine_kit.timestamps import as_utc

from disclosure.adapters.tables import catalogue_entries, search_postings
from disclosure.domain import search
from disclosure.domain.annual_report import CatalogueFacts
from disclosure.domain.catalogue import RULE_FORCE_LEVELS, CatalogueEntry
from disclosure.domain.search_query import Hit, SearchQuery

_COLUMNS = (
    "id",
    "index_number",
    "title",
    "issuing_organ",
    "document_number",
    "formed_on",
    "due_on",
    "body",
    "force_level",
    "key_area",
    "validity",
)


class CatalogueRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, entry: CatalogueEntry) -> None:
        values = {name: getattr(entry, name) for name in _COLUMNS}
        await self._session.execute(insert(catalogue_entries).values(**values, published_at=entry.published_at))
        weights = search.postings({"title": entry.title, "document_number": entry.document_number, "body": entry.body})
        rows = [{"token": token, "entry_id": entry.id, "weight": weight} for token, weight in weights.items()]
        if rows:
            await self._session.execute(insert(search_postings), rows)

    async def get(self, entry_id: str) -> CatalogueEntry | None:
        query = select(catalogue_entries).where(catalogue_entries.c.id == entry_id)
        row = (await self._session.execute(query)).one_or_none()
        if row is None:
            return None
        return CatalogueEntry(**{name: getattr(row, name) for name in _COLUMNS}, published_at=as_utc(row.published_at))

    async def report_facts(self, year: int) -> list[CatalogueFacts]:
        """Rules and normative documents formed up to the end of `year` (table 二)."""
        query = select(catalogue_entries.c.force_level, catalogue_entries.c.formed_on).where(
            catalogue_entries.c.force_level.in_(RULE_FORCE_LEVELS), catalogue_entries.c.formed_on <= date(year, 12, 31)
        )
        return [CatalogueFacts(row.force_level, row.formed_on, None) for row in await self._session.execute(query)]

    async def search(self, query: SearchQuery) -> list[Hit]:
        """Entries holding every query token, by score (domain/search.py), then newest, then id."""
        tokens = search.query_tokens(query.text)
        if not tokens:
            return []
        idf = await self._idf(tokens)
        p, e = search_postings.c, catalogue_entries.c
        weight = case(*((p.token == token, p.weight * idf[token]) for token in tokens), else_=0)
        score = func.sum(weight).label("score")
        statement = (
            select(p.entry_id, score, e.title, e.document_number, e.issuing_organ, e.key_area, e.validity, e.formed_on)
            .join(catalogue_entries, e.id == p.entry_id)
            .where(p.token.in_(tokens), *_filters(query))
            .group_by(p.entry_id, e.title, e.document_number, e.issuing_organ, e.key_area, e.validity, e.formed_on,
                      e.published_at)
            .having(func.count() == len(tokens))
            .order_by(score.desc(), e.published_at.desc(), p.entry_id)
            .limit(query.limit)
            .offset(query.offset)
        )  # fmt: skip
        rows = await self._session.execute(statement)
        return [Hit(r.entry_id, int(r.score), r.title, r.document_number, r.issuing_organ, r.key_area, r.validity,
                    r.formed_on) for r in rows]  # fmt: skip

    async def _idf(self, tokens: list[str]) -> dict[str, int]:
        entries = (await self._session.execute(select(func.count()).select_from(catalogue_entries))).scalar_one()
        counts = select(search_postings.c.token, func.count()).where(search_postings.c.token.in_(tokens))
        rows = await self._session.execute(counts.group_by(search_postings.c.token))
        frequency = {token: count for token, count in rows}
        return {token: search.idf(entries, frequency.get(token, 0)) for token in tokens}


def _filters(query: SearchQuery) -> list[ColumnElement[bool]]:
    e = catalogue_entries.c
    wanted = [
        (query.key_area, lambda: e.key_area == query.key_area),
        (query.issuing_organ, lambda: e.issuing_organ == query.issuing_organ),
        (query.validity, lambda: e.validity == query.validity),
        (query.formed_from, lambda: e.formed_on >= query.formed_from),
        (query.formed_to, lambda: e.formed_on <= query.formed_to),
    ]
    return [condition() for given, condition in wanted if given]
