"""The latest figures each division below entered per year, from the roll-up's ReportFiguresRecorded events."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession
from sunshine_kit.timestamps import as_utc

from disclosure.adapters.request_repository import figures_from_json, figures_json
from disclosure.adapters.tables import figures_below
from disclosure.domain.annual_report import ReportFigures

_table = figures_below


class FiguresBelowRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def record(self, division: str, figures: ReportFigures, recorded_at: datetime) -> None:
        """Keeps the figures recorded last: a correction replaces them, an older record arriving late does not.

        One statement, so replicas applying records of one division and year concurrently cannot lose the newer:
        the row is inserted if absent (the primary key decides between two inserting at once) and otherwise
        updated only where the stored record is older (`… DO UPDATE … WHERE recorded_at < :new`), the guard
        evaluated on the row as committed (PostgreSQL re-checks it after waiting for a concurrent writer's lock).
        """
        moment = as_utc(recorded_at).astimezone(UTC)  # stored in UTC (SQLite compares the stored text)
        dialect = postgresql if self._session.get_bind().dialect.name == "postgresql" else sqlite
        upsert = dialect.insert(_table).values(
            division=division, year=figures.year, figures=figures_json(figures), recorded_at=moment
        )
        upsert = upsert.on_conflict_do_update(
            index_elements=[_table.c.division, _table.c.year],
            set_={"figures": upsert.excluded.figures, "recorded_at": upsert.excluded.recorded_at},
            where=_table.c.recorded_at < upsert.excluded.recorded_at,
        )
        await self._session.execute(upsert)

    async def of_year(self, year: int) -> dict[str, ReportFigures]:
        query = select(_table.c.division, _table.c.figures).where(_table.c.year == year)
        return {division: figures_from_json(year, text) for division, text in await self._session.execute(query)}

    async def divisions(self) -> set[str]:
        return set((await self._session.execute(select(_table.c.division).distinct())).scalars())
