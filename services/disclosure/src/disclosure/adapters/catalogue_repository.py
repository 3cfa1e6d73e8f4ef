"""Catalogue entries, their published versions and the search index, in the database.

Saving checks the lock version read, so two writers never both win. The index holds public entries only
(published or repealed), with the current version's text; a draft has no postings.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, false, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sunshine_kit.errors import IllegalTransition
from sunshine_kit.timestamps import as_utc

from disclosure.adapters.catalogue_search import PUBLIC_STATES, reindex, search_entries
from disclosure.adapters.tables import catalogue_entries, catalogue_versions
from disclosure.domain import search
from disclosure.domain.annual_report import CatalogueFacts
from disclosure.domain.catalogue import CatalogueEntry, EntryState, PublishedVersion
from disclosure.domain.catalogue_content import RULE_FORCE_LEVELS, Attachment, EntryContent
from disclosure.domain.search_query import Hit, SearchQuery

_e = catalogue_entries.c


class CatalogueRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session
        # entry id → (lock version, published versions) as read
        self._read: dict[str, tuple[int, tuple[PublishedVersion, ...]]] = {}

    async def add(self, entry: CatalogueEntry) -> None:
        await self._session.execute(insert(catalogue_entries).values(**_row_values(entry), id=entry.id))
        await self._write_versions(entry, read=())
        await self._reindex(entry)

    async def save(self, entry: CatalogueEntry) -> None:
        lock, read = self._read[entry.id]
        statement = (
            update(catalogue_entries)
            .where(_e.id == entry.id, _e.lock_version == lock)
            .values(**_row_values(entry), lock_version=lock + 1)
        )
        if (await self._session.execute(statement)).rowcount != 1:
            raise IllegalTransition("save an entry someone else changed meanwhile; reload it", str(entry.state))
        self._read[entry.id] = (lock + 1, tuple(entry.versions))
        await self._write_versions(entry, read)
        if entry.version != len(read):
            await self._reindex(entry)

    async def get(self, entry_id: str) -> CatalogueEntry | None:
        row = (await self._session.execute(select(catalogue_entries).where(_e.id == entry_id))).one_or_none()
        return None if row is None else (await self._entries([row]))[0]

    async def drafts(self, state: EntryState) -> list[CatalogueEntry]:
        """Entries never published: the current drafts or the withdrawn ones."""
        query = select(catalogue_entries).where(_e.state == str(state)).order_by(_e.formed_on.desc(), _e.id)
        return await self._entries(list(await self._session.execute(query)))

    async def ids_to_recount(self, changed_years: frozenset[int]) -> list[str]:
        """Drafts and public entries with a deadline counted through a year without an official arrangement, or
        through one of `changed_years` (whose official schedule changed)."""
        v = catalogue_versions.c
        drafts = (_e.state == str(EntryState.DRAFT)) & (
            _e.due_on_provisional | _counted_through(changed_years, _e.formed_on, _e.due_on)
        )
        counted = _counted_through(changed_years, v.formed_on, v.due_on)
        versions = select(v.entry_id).where(v.due_on_provisional | counted)
        query = select(_e.id).where(drafts | (_e.state.in_(PUBLIC_STATES) & _e.id.in_(versions)))
        return list((await self._session.execute(query)).scalars())

    async def interpretations(self, policy_id: str) -> list[CatalogueEntry]:
        query = (
            select(catalogue_entries)
            .where(_e.interprets == policy_id, _e.state.in_(PUBLIC_STATES))
            .order_by(_e.published_at, _e.id)
        )
        return await self._entries(list(await self._session.execute(query)))

    async def report_facts(self, year: int) -> list[CatalogueFacts]:
        """Public rules and normative documents first formed up to the end of `year` (table 二)."""
        v = catalogue_versions.c
        query = (
            select(_e.force_level, v.formed_on, _e.repealed_on)
            .join(catalogue_versions, (v.entry_id == _e.id) & (v.version == 1))
            .where(_e.force_level.in_(RULE_FORCE_LEVELS), _e.state.in_(PUBLIC_STATES))
            .where(v.formed_on <= date(year, 12, 31))
        )
        rows = await self._session.execute(query)
        return [CatalogueFacts(row.force_level, row.formed_on, row.repealed_on) for row in rows]

    async def search(self, query: SearchQuery) -> list[Hit]:
        return await search_entries(self._session, query)

    async def _entries(self, rows: list[Any]) -> list[CatalogueEntry]:
        ids = [row.id for row in rows]
        versions: dict[str, list[PublishedVersion]] = {entry_id: [] for entry_id in ids}
        if ids:
            query = select(catalogue_versions).where(catalogue_versions.c.entry_id.in_(ids))
            for v in await self._session.execute(query.order_by(catalogue_versions.c.version)):
                versions[v.entry_id].append(
                    PublishedVersion(
                        v.version, _content(v.content), v.due_on, as_utc(v.published_at), v.due_on_provisional
                    )
                )
        entries = []
        for row in rows:
            entry = CatalogueEntry(
                id=row.id,
                index_number=row.index_number,
                state=EntryState(row.state),
                content=_content(row.content),
                due_on=row.due_on,
                due_on_provisional=row.due_on_provisional,
                interprets=row.interprets or "",
                versions=versions[row.id],
                repealed_on=row.repealed_on,
                withdrawn_on=row.withdrawn_on,
                withdrawal_reason=row.withdrawal_reason,
            )
            self._read[entry.id] = (row.lock_version, tuple(entry.versions))
            entries.append(entry)
        return entries

    async def _write_versions(self, entry: CatalogueEntry, read: tuple[PublishedVersion, ...]) -> None:
        """Inserts the versions published since `read`; a deadline counted again is updated in place."""
        stored = catalogue_versions.c
        for was, now in zip(read, entry.versions, strict=False):
            if was.deadline != now.deadline:
                where = (stored.entry_id == entry.id) & (stored.version == now.number)
                values = {"due_on": now.due_on, "due_on_provisional": now.due_on_provisional}
                await self._session.execute(update(catalogue_versions).where(where).values(**values))
        rows = [
            {"entry_id": entry.id, "version": v.number, "content": _json(v.content), "formed_on": v.content.formed_date,
             "due_on": v.due_on, "due_on_provisional": v.due_on_provisional, "published_at": v.published_at}
            for v in entry.versions[len(read):]
        ]  # fmt: skip
        if rows:
            await self._session.execute(insert(catalogue_versions), rows)

    async def _reindex(self, entry: CatalogueEntry) -> None:
        c = entry.content
        fields = {"title": c.title, "document_number": c.document_number, "body": c.body}
        await reindex(self._session, entry.id, search.postings(fields) if entry.is_public else None)


def _counted_through(years: frozenset[int], start: ColumnElement[date], end: ColumnElement[date]) -> ColumnElement:
    """A count from `start` to `end` went through one of `years` (roughly: it began before the last one ended and
    ended after the first one began)."""
    if not years:
        return false()
    return (start <= date(max(years), 12, 31)) & (end >= date(min(years), 1, 1))


def _row_values(entry: CatalogueEntry) -> dict[str, Any]:
    c = entry.content
    return {
        "index_number": entry.index_number,
        "title": c.title,
        "issuing_organ": c.issuing_organ,
        "document_number": c.document_number,
        "formed_on": c.formed_date,
        "due_on": entry.due_on,
        "due_on_provisional": entry.due_on_provisional,
        "published_at": entry.published_at,
        "body": c.body,
        "force_level": c.force_level,
        "key_area": c.key_area,
        "validity": entry.validity,
        "content": _json(c),
        "state": str(entry.state),
        "version": entry.version,
        "repealed_on": entry.repealed_on,
        "interprets": entry.interprets or None,
        "withdrawn_on": entry.withdrawn_on,
        "withdrawal_reason": entry.withdrawal_reason,
    }


def _json(content: EntryContent) -> str:
    return json.dumps(asdict(content), ensure_ascii=False)


def _content(text: str) -> EntryContent:
    fields = json.loads(text)
    fields["channels"] = tuple(fields.get("channels", ("website",)))
    fields["attachments"] = tuple(Attachment(**a) for a in fields.get("attachments", ()))
    return EntryContent(**fields)
