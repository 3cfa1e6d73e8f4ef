from __future__ import annotations

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncSession
from sunshine_kit.timestamps import as_utc

from disclosure.adapters.tables import catalogue_entries
from disclosure.domain.catalogue import CatalogueEntry

_COLUMNS = ("id", "index_number", "title", "issuing_organ", "document_number", "formed_on", "due_on", "body")


class CatalogueRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, entry: CatalogueEntry) -> None:
        values = {name: getattr(entry, name) for name in _COLUMNS}
        await self._session.execute(insert(catalogue_entries).values(**values, published_at=entry.published_at))

    async def get(self, entry_id: str) -> CatalogueEntry | None:
        query = select(catalogue_entries).where(catalogue_entries.c.id == entry_id)
        row = (await self._session.execute(query)).one_or_none()
        if row is None:
            return None
        return CatalogueEntry(**{name: getattr(row, name) for name in _COLUMNS}, published_at=as_utc(row.published_at))
