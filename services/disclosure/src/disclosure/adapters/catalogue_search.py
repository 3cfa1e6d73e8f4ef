"""The catalogue search query (domain/search.py has the tokens and weights), the same SQL on SQLite and PostgreSQL.

Only public entries are found: postings exist for published and repealed entries alone, and the query also
requires that state. The aggregation starts from the rarest query token: an entry holding every token is among
that token's postings, so only those candidates are looked up for the other tokens (through the (token,
entry_id) primary key) instead of aggregating every posting of every token. A token no entry holds ends the
search at once. The ranking is unchanged: score = Σ weight × idf, then newest publication, then id.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, case, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from disclosure.adapters.tables import catalogue_entries, search_postings
from disclosure.domain import search
from disclosure.domain.catalogue import EntryState
from disclosure.domain.search_query import Hit, SearchQuery

PUBLIC_STATES = (str(EntryState.PUBLISHED), str(EntryState.REPEALED))
_e = catalogue_entries.c


async def search_entries(session: AsyncSession, query: SearchQuery) -> list[Hit]:
    tokens = search.query_tokens(query.text)
    frequency = await _document_frequencies(session, tokens)
    if not tokens or len(frequency) < len(tokens):
        return []
    public = select(func.count()).select_from(catalogue_entries).where(_e.state.in_(PUBLIC_STATES))
    entries = (await session.execute(public)).scalar_one()
    idf = {token: search.idf(entries, frequency[token]) for token in tokens}
    rarest = min(tokens, key=lambda token: (frequency[token], token))
    r = search_postings.alias("rarest")
    p = search_postings.c
    weight = case(*((p.token == token, p.weight * idf[token]) for token in tokens), else_=0)
    score = func.sum(weight).label("score")
    statement = (
        select(p.entry_id, score, _e.title, _e.document_number, _e.issuing_organ, _e.key_area, _e.validity,
               _e.formed_on)
        .select_from(r)
        .join(search_postings, (p.entry_id == r.c.entry_id) & p.token.in_(tokens))
        .join(catalogue_entries, _e.id == r.c.entry_id)
        .where(r.c.token == rarest, _e.state.in_(PUBLIC_STATES), *_filters(query))
        .group_by(p.entry_id, _e.title, _e.document_number, _e.issuing_organ, _e.key_area, _e.validity, _e.formed_on,
                  _e.published_at)
        .having(func.count() == len(tokens))
        .order_by(score.desc(), _e.published_at.desc(), p.entry_id)
        .limit(query.limit)
        .offset(query.offset)
    )  # fmt: skip
    rows = await session.execute(statement)
    return [Hit(r.entry_id, int(r.score), r.title, r.document_number, r.issuing_organ, r.key_area, r.validity,
                r.formed_on) for r in rows]  # fmt: skip


async def _document_frequencies(session: AsyncSession, tokens: list[str]) -> dict[str, int]:
    if not tokens:
        return {}
    counts = select(search_postings.c.token, func.count()).where(search_postings.c.token.in_(tokens))
    return {token: count for token, count in await session.execute(counts.group_by(search_postings.c.token))}


def _filters(query: SearchQuery) -> list[ColumnElement[bool]]:
    wanted = [
        (query.key_area, lambda: _e.key_area == query.key_area),
        (query.issuing_organ, lambda: _e.issuing_organ == query.issuing_organ),
        (query.validity, lambda: _e.validity == query.validity),
        (query.formed_from, lambda: _e.formed_on >= query.formed_from),
        (query.formed_to, lambda: _e.formed_on <= query.formed_to),
    ]
    return [condition() for given, condition in wanted if given]
