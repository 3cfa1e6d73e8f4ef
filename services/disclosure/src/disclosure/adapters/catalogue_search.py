"""The catalogue search index and query (domain/search.py has the tokens and weights), the same statements on SQLite
and PostgreSQL (which only adds `jit = off`, below).

Only public entries are found: postings exist for published and repealed entries alone, and the query also
requires that state. Every public entry also has a posting of the token "" (weight 0), so that `search_tokens`,
the entries holding each token, counts the public entries too; it is moved with the postings in the same
transaction, so a search reads N and every df by primary key instead of counting postings and entries.

Complete matches (every query token held) run in two steps inside one statement. Matching: the postings of the
rarest query token are the candidates; the next rarest token is joined to them (the database picks how: probes, or a
hash or merge join of the two lists on PostgreSQL), and each further token, rarest first, is a (token, entry_id)
primary-key probe per remaining candidate, so an entry stops at its first missing token. Scoring: the matched
entries' weights come from the same probes (the key holds the weight: no table row is read), and only the matched
entries are joined to the catalogue for the filters and the order (score = Σ weight × idf, then newest publication,
then id). A token no entry holds leaves them out before any statement on the postings.

Partial matches (at least half of the tokens, not all) are a second statement, run only when the complete ones do
not fill the page: the entries holding one of the source tokens (domain/search.py) are the candidates, each known
token is probed once per candidate by primary key, and the count of tokens held and the score come from the probes.

On PostgreSQL the statements run with `jit = off`: their cost estimate (one probe per candidate and token) passes
the JIT threshold on large candidate sets, and compiling took 0.3–0.8 s where running takes milliseconds.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import CTE, ColumnElement, Select, case, delete, exists, func, insert, literal, select, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from disclosure.adapters.tables import catalogue_entries, search_postings, search_tokens
from disclosure.domain import search
from disclosure.domain.catalogue import EntryState
from disclosure.domain.search_query import Hit, SearchQuery

PUBLIC_STATES = (str(EntryState.PUBLISHED), str(EntryState.REPEALED))
EVERY_ENTRY = ""  # the token of every public entry: its count is N
_e = catalogue_entries.c
_p = search_postings.c
_t = search_tokens.c


async def search_entries(
    session: AsyncSession, query: SearchQuery, candidate_postings: int = search.CANDIDATE_POSTINGS
) -> list[Hit]:
    """The page asked for of the ranking (domain/search.py): complete matches first, then partial ones. The partial
    statement runs only when the complete matches do not fill the page."""
    tokens = search.query_tokens(query.text)
    if not tokens:
        return []
    wanted = select(_t.token, _t.entries).where(_t.token.in_([EVERY_ENTRY, *tokens]))
    frequency = {token: entries for token, entries in await session.execute(wanted) if entries > 0}
    plan = search.QueryPlan(tuple(tokens), frequency, frequency.pop(EVERY_ENTRY, 0), candidate_postings)
    if session.get_bind().dialect.name == "postgresql":
        await session.execute(text("SET LOCAL jit = off"))  # compiling would cost more than running (see module doc)
    complete = []
    if plan.complete_possible:
        complete = await _hits(session, _complete(plan, query).limit(query.limit).offset(query.offset), partial=False)
    if len(complete) == query.limit or not plan.partial_possible:
        return complete
    skipped = max(0, query.offset - await _complete_count(session, plan, query, complete))
    page = _partial(plan, query).limit(query.limit - len(complete)).offset(skipped)
    return complete + await _hits(session, page, partial=True)


def _complete(plan: search.QueryPlan, query: SearchQuery) -> Select[Any]:
    """Entries holding every token: the rarest token's postings, the next rarest joined, each further token probed
    by primary key, rarest first, so an entry stops at its first missing token."""
    rarest, *others = plan.known
    r = search_postings.alias("candidate").c
    weight = {rarest: r.weight, **{token: _probe(token, r.entry_id, n) for n, token in enumerate(others)}}
    holds = [weight[token].is_not(None) for token in others[1:]]
    if others:  # the next rarest as a join the database plans (a hash or merge join of two lists on PostgreSQL)
        p = search_postings.alias("joined").c
        holds.insert(0, exists().where(p.token == others[0], p.entry_id == r.entry_id))
    score = sum((weight[token] * plan.idf(token) for token in others), r.weight * plan.idf(rarest))
    matched = select(r.entry_id, score.label("score"), literal(len(plan.tokens)).label("held"))
    return _ranked(matched.where(r.token == rarest, *holds).cte("matched").prefix_with("MATERIALIZED"), query)


def _partial(plan: search.QueryPlan, query: SearchQuery) -> Select[Any]:
    """Entries holding enough tokens but not all: candidates from the postings of the source tokens, each known
    token probed once per candidate, the count of tokens held and the score computed from the probes."""
    p = search_postings.c
    candidates = select(p.entry_id).where(p.token.in_(plan.sources)).distinct().cte("candidates")
    c = candidates.prefix_with("MATERIALIZED").c
    probes = [_probe(token, c.entry_id, n).label(f"w{n}") for n, token in enumerate(plan.known)]
    probed = select(c.entry_id, *probes).cte("probed").prefix_with("MATERIALIZED").c
    weights = [(probed[f"w{n}"], plan.idf(token)) for n, token in enumerate(plan.known)]
    held = sum((case((w.is_not(None), 1), else_=0) for w, _ in weights), literal(0))
    score = sum((func.coalesce(w, 0) * idf for w, idf in weights), literal(0))
    scored = select(probed.entry_id, score.label("score"), held.label("held")).subquery("scored")
    required = search.required_matches(len(plan.tokens))
    enough = scored.c.held.between(required, len(plan.tokens) - 1)
    return _ranked(select(scored).where(enough).cte("matched").prefix_with("MATERIALIZED"), query)


def _probe(token: str, entry_id: ColumnElement[str], n: int) -> ColumnElement[int]:
    p = search_postings.alias(f"probe{n}").c
    return select(p.weight).where(p.token == token, p.entry_id == entry_id).scalar_subquery()


def _ranked(matched: CTE, query: SearchQuery) -> Select[Any]:
    m = matched.c
    return (
        select(m.entry_id, m.score, m.held, _e.title, _e.document_number, _e.issuing_organ, _e.key_area,
               _e.validity, _e.formed_on)
        .select_from(matched)
        .join(catalogue_entries, _e.id == m.entry_id)
        .where(_e.state.in_(PUBLIC_STATES), *_filters(query))
        .order_by(m.held.desc(), m.score.desc(), _e.published_at.desc(), m.entry_id)
    )  # fmt: skip


async def _complete_count(session: AsyncSession, plan: search.QueryPlan, query: SearchQuery, page: list[Hit]) -> int:
    """How many complete matches come before the partial ones; counted only when the page does not tell."""
    if not plan.complete_possible:
        return 0
    if page or query.offset == 0:
        return query.offset + len(page)
    counted = select(func.count()).select_from(_complete(plan, query).subquery())
    return (await session.execute(counted)).scalar_one()


async def _hits(session: AsyncSession, statement: Select[Any], partial: bool) -> list[Hit]:
    rows = await session.execute(statement)
    return [Hit(row.entry_id, int(row.score), row.title, row.document_number, row.issuing_organ, row.key_area,
                row.validity, row.formed_on, partial) for row in rows]  # fmt: skip


async def reindex(session: AsyncSession, entry_id: str, weights: dict[str, int] | None) -> None:
    """Replace an entry's postings with `weights` (None: the entry is not public, it has none) and move the
    document frequencies of the tokens it gained or lost, in token order: with one entry per transaction (as the
    repository does), two writers lock the rows they share in the same order and cannot deadlock."""
    held = set((await session.execute(select(_p.token).where(_p.entry_id == entry_id))).scalars())
    await session.execute(delete(search_postings).where(_p.entry_id == entry_id))
    postings = {} if weights is None else {EVERY_ENTRY: 0, **weights}
    if postings:
        rows = [{"token": token, "entry_id": entry_id, "weight": weight} for token, weight in postings.items()]
        await session.execute(insert(search_postings), rows)
    changed = sorted(held ^ postings.keys())
    if not changed:
        return
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    upsert = dialect.insert(search_tokens)
    added = {"entries": _t.entries + upsert.excluded.entries}
    upsert = upsert.on_conflict_do_update(index_elements=[_t.token], set_=added)
    await session.execute(upsert, [{"token": token, "entries": 1 if token in postings else -1} for token in changed])
    await session.execute(delete(search_tokens).where(_t.token.in_(changed), _t.entries <= 0))


def count_tokens() -> Select[tuple[str, int]]:
    """Every token with the entries holding it, as `search_tokens` must hold them (rebuilds and checks)."""
    return select(_p.token, func.count().label("entries")).group_by(_p.token)


def _filters(query: SearchQuery) -> list[ColumnElement[bool]]:
    wanted = [
        (query.key_area, lambda: _e.key_area == query.key_area),
        (query.issuing_organ, lambda: _e.issuing_organ == query.issuing_organ),
        (query.validity, lambda: _e.validity == query.validity),
        (query.formed_from, lambda: _e.formed_on >= query.formed_from),
        (query.formed_to, lambda: _e.formed_on <= query.formed_to),
    ]
    return [condition() for given, condition in wanted if given]
