"""The latest figures each division below entered per year, from the roll-up's ReportFiguresRecorded events."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import insert, select, update
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
        """Keeps the figures recorded last: a correction replaces them, an older record arriving late does not."""
        key = (_table.c.division == division) & (_table.c.year == figures.year)
        stored = (await self._session.execute(select(_table.c.recorded_at).where(key))).scalar_one_or_none()
        values = {"figures": figures_json(figures), "recorded_at": recorded_at}
        if stored is None:
            await self._session.execute(insert(_table).values(division=division, year=figures.year, **values))
        elif as_utc(stored) < recorded_at:
            await self._session.execute(update(_table).where(key).values(values))

    async def of_year(self, year: int) -> dict[str, ReportFigures]:
        query = select(_table.c.division, _table.c.figures).where(_table.c.year == year)
        return {division: figures_from_json(year, text) for division, text in await self._session.execute(query)}

    async def divisions(self) -> set[str]:
        return set((await self._session.execute(select(_table.c.division).distinct())).scalars())
