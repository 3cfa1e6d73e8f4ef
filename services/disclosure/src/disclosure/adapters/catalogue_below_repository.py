"""The projection of the catalogue entries below this stack, keyed by entry id (UUIDs are unique across stacks).

Events of one entry may be applied out of order (one consumer per event type, retries), so each write keeps
what it knows: the date formed comes only from the publication, the repeal date only from the repeal, and the
force level from whichever event carries the highest version.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from sqlalchemy import case, func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from disclosure.adapters.tables import catalogue_below
from disclosure.domain.annual_report import CatalogueFacts
from disclosure.domain.catalogue_content import RULE_FORCE_LEVELS

_table = catalogue_below


class CatalogueBelowRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def record(
        self,
        entry_id: str,
        division: str,
        force_level: str,
        version: int,
        formed_on: date | None = None,
        repealed_on: date | None = None,
    ) -> None:
        """One statement, so replicas applying events of one entry concurrently cannot undo each other: inserted
        if absent (the primary key decides between two inserting at once), otherwise each date kept unless this
        event carries it, and the force level replaced only where `force_version <= :version`, each condition
        evaluated on the row as committed."""
        dialect = postgresql if self._session.get_bind().dialect.name == "postgresql" else sqlite
        upsert = dialect.insert(_table).values(
            entry_id=entry_id,
            division=division,
            force_level=force_level,
            force_version=version,
            formed_on=formed_on,
            repealed_on=repealed_on,
        )
        new, t = upsert.excluded, _table.c
        newer = t.force_version <= new.force_version
        upsert = upsert.on_conflict_do_update(
            index_elements=[t.entry_id],
            set_={
                "formed_on": func.coalesce(new.formed_on, t.formed_on),
                "repealed_on": func.coalesce(new.repealed_on, t.repealed_on),
                "force_level": case((newer, new.force_level), else_=t.force_level),
                "force_version": case((newer, new.force_version), else_=t.force_version),
            },
        )
        await self._session.execute(upsert)

    async def report_facts(self, year: int) -> dict[str, list[CatalogueFacts]]:
        """Per division below, its rules and normative documents first formed up to the end of `year`."""
        query = select(_table.c.division, _table.c.force_level, _table.c.formed_on, _table.c.repealed_on).where(
            _table.c.force_level.in_(RULE_FORCE_LEVELS), _table.c.formed_on <= date(year, 12, 31)
        )
        by_division: dict[str, list[CatalogueFacts]] = defaultdict(list)
        for division, force_level, formed_on, repealed_on in await self._session.execute(query):
            by_division[division].append(CatalogueFacts(force_level, formed_on, repealed_on))
        return dict(by_division)

    async def divisions(self) -> set[str]:
        return set((await self._session.execute(select(_table.c.division).distinct())).scalars())
