from __future__ import annotations

from sqlalchemy import insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from evaluation.adapters.tables import intake_counts
from evaluation.domain.intake import IntakeCount


class IntakeRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def increment(self, division: str, category: str) -> None:
        key = (intake_counts.c.division == division) & (intake_counts.c.category == category)
        result = await self._session.execute(update(intake_counts).where(key).values(count=intake_counts.c.count + 1))
        if result.rowcount == 0:
            await self._session.execute(insert(intake_counts).values(division=division, category=category, count=1))

    async def all(self) -> list[IntakeCount]:
        rows = await self._session.execute(
            select(intake_counts).order_by(intake_counts.c.division, intake_counts.c.category)
        )
        return [IntakeCount(row.division, row.category, row.count) for row in rows]
