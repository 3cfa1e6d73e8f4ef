"""Counting tickets in SQL for hotspots and issue lists, bucketed by China time on SQLite and PostgreSQL alike.

China has kept UTC+8 all year since 1991, so a fixed offset is exact: SQLite shifts its stored UTC text with
`'+8 hours'`, PostgreSQL adds eight hours to the UTC wall time.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Integer, String, and_, case, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement
from sunshine_kit.timestamps import CHINA_TIME

from hotline.adapters.personal_data import PersonalDataCipher
from hotline.adapters.tables import tickets
from hotline.adapters.ticket_repository import CALLER_COLUMNS
from hotline.domain.caller import Caller
from hotline.domain.hotspots import Bucket, Period
from hotline.domain.issue_list import TopicIssues, summary
from hotline.domain.vocabulary import OPEN_STATES, Category, TicketState


class china_day(FunctionElement[str]):  # noqa: N801 - reads as the SQL function it stands for
    type = String()
    inherit_cache = True


class china_hour(FunctionElement[int]):  # noqa: N801
    type = Integer()
    inherit_cache = True


@compiles(china_day, "sqlite")
def _day_sqlite(element: china_day, compiler: Any, **kw: Any) -> str:
    return f"strftime('%Y-%m-%d', {compiler.process(element.clauses, **kw)}, '+8 hours')"


@compiles(china_hour, "sqlite")
def _hour_sqlite(element: china_hour, compiler: Any, **kw: Any) -> str:
    return f"CAST(strftime('%H', {compiler.process(element.clauses, **kw)}, '+8 hours') AS INTEGER)"


@compiles(china_day, "postgresql")
def _day_postgres(element: china_day, compiler: Any, **kw: Any) -> str:
    moment = compiler.process(element.clauses, **kw)
    return f"to_char(({moment}) AT TIME ZONE 'UTC' + INTERVAL '8 hours', 'YYYY-MM-DD')"


@compiles(china_hour, "postgresql")
def _hour_postgres(element: china_hour, compiler: Any, **kw: Any) -> str:
    moment = compiler.process(element.clauses, **kw)
    return f"CAST(EXTRACT(HOUR FROM ({moment}) AT TIME ZONE 'UTC' + INTERVAL '8 hours') AS INTEGER)"


def utc_bounds(period: Period) -> tuple[datetime, datetime]:
    """From the first day's China midnight (included) to the midnight after the last day (excluded), in UTC."""
    start = datetime.combine(period.first, time(), CHINA_TIME)
    end = datetime.combine(period.last + timedelta(days=1), time(), CHINA_TIME)
    return start.astimezone(UTC), end.astimezone(UTC)


class TicketStatistics:
    def __init__(self, session: AsyncSession, cipher: PersonalDataCipher) -> None:
        self._session = session
        self._cipher = cipher

    async def buckets(self, period: Period, categories: tuple[Category, ...]) -> list[Bucket]:
        """Tickets per topic, place, China day and hour; merged tickets (并单) count once, as their primary."""
        start, end = utc_bounds(period)
        day, hour = china_day(tickets.c.accepted_at), china_hour(tickets.c.accepted_at)
        conditions = [
            tickets.c.accepted_at >= start,
            tickets.c.accepted_at < end,
            tickets.c.state != TicketState.MERGED.name,
        ]
        if categories:
            conditions.append(tickets.c.category.in_([c.name for c in categories]))
        statement = (
            select(tickets.c.topic, tickets.c.place_division, day, hour, func.count())
            .where(*conditions)
            .group_by(tickets.c.topic, tickets.c.place_division, day, hour)
        )
        rows = (await self._session.execute(statement)).all()
        return [Bucket(topic, place, date.fromisoformat(d), h, n) for topic, place, d, h, n in rows]

    async def unit_topics(self, unit: str, period: Period, now: datetime) -> list[TopicIssues]:
        """The unit's tickets per topic: all, open, overdue (open and past due at `now`)."""
        is_open = tickets.c.state.in_([s.name for s in OPEN_STATES])
        statement = (
            select(
                tickets.c.topic,
                func.count(),
                func.sum(case((is_open, 1), else_=0)),
                func.sum(case((and_(is_open, tickets.c.due_at < now), 1), else_=0)),
            )
            .where(*self._unit_tickets(unit, period))
            .group_by(tickets.c.topic)
        )
        rows = (await self._session.execute(statement)).all()
        return [TopicIssues(topic, n, int(open_), int(overdue)) for topic, n, open_, overdue in rows]

    async def overdue_open(self, now: datetime) -> int:
        """Open tickets past their due time at `now` (超期)."""
        is_open = tickets.c.state.in_([s.name for s in OPEN_STATES])
        return await self._session.scalar(select(func.count()).where(is_open, tickets.c.due_at < now)) or 0

    async def summaries(self, unit: str, period: Period, per_topic: int) -> dict[str, list[str]]:
        """The latest `per_topic` non-confidential tickets' summaries per topic, caller data masked."""
        rank = func.row_number().over(
            partition_by=tickets.c.topic, order_by=(tickets.c.accepted_at.desc(), tickets.c.id)
        )
        ranked = (
            select(tickets.c.topic, tickets.c.description, *(tickets.c[c] for c in CALLER_COLUMNS), rank.label("rank"))
            .where(*self._unit_tickets(unit, period), tickets.c.confidential.is_(False))
            .subquery()
        )
        statement = select(ranked).where(ranked.c.rank <= per_topic).order_by(ranked.c.topic, ranked.c.rank)
        found: dict[str, list[str]] = {}
        for row in (await self._session.execute(statement)).all():
            caller = Caller(*(self._cipher.open(getattr(row, c), c) for c in CALLER_COLUMNS))
            found.setdefault(row.topic, []).append(summary(row.description, caller))
        return found

    @staticmethod
    def _unit_tickets(unit: str, period: Period) -> list[Any]:
        start, end = utc_bounds(period)
        return [
            tickets.c.lead_unit == unit,
            tickets.c.accepted_at >= start,
            tickets.c.accepted_at < end,
            tickets.c.state != TicketState.MERGED.name,
        ]
