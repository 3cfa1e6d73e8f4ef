"""Which official schedules a service's open cases were last counted on, so that a schedule that changed — the
override file edited, a year added or removed, a newer chinesecalendar installed — reaches every open case
through that year, also when it changed while the service was down (docs/working-days.md).

The service's database keeps one fingerprint per official year (`calendar_schedules`), written once the service
has counted its cases again on them. A year's schedule changed when its fingerprint differs from the recorded
one (or the year is no longer official). Years official for the first time are not "changed": cases counted on
their provisional schedule say so (the provisional flags) and are counted again anyway; on the very first check
nothing is recorded yet, and what the calendar says then becomes the record.

A replica counts again only years whose schedule changed *in its own calendar* since its last complete count (or
since it started): while a file change reaches the replicas one by one (a Kubernetes rollout, a ConfigMap
synced node by node), one still reading the old file must not count the cases back on it.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime

from sqlalchemy import Column, DateTime, Integer, MetaData, String, Table, delete, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from sunshine_kit.working_days import WorkingDayCalendar

CALENDAR_TABLE = "calendar_schedules"
# Counts the service's provisional dates again, and every open case through one of the years given; True when
# every case was counted (False: a case was busy, the years are given again at the next check).
Recount = Callable[[frozenset[int]], Awaitable[bool]]


def calendar_schedules_table(metadata: MetaData, name: str = CALENDAR_TABLE) -> Table:
    """The official schedules the service's open cases were last counted on, attached to its metadata."""
    return Table(
        name,
        metadata,
        Column("year", Integer, primary_key=True, autoincrement=False),
        Column("fingerprint", String(64), nullable=False),  # YearSchedule.fingerprint
        Column("counted_at", DateTime(timezone=True), nullable=False),
    )


class CalendarLedger:
    def __init__(self, sessions: async_sessionmaker[AsyncSession], table: Table) -> None:
        self._sessions = sessions
        self._table = table
        self._seen: dict[int, str] | None = None  # this process's calendar at its last complete count

    async def check(self, calendar: WorkingDayCalendar, recount: Recount) -> frozenset[int]:
        """Run `recount` with the years whose schedule changed since the cases were counted; record the
        schedules once it counted every case. Returns the years given to it."""
        current = calendar.fingerprints()
        recorded = await self._recorded()
        first_time = current.keys() - recorded.keys()  # not changes (see above): recorded as they are
        changed = {year for year in recorded if recorded[year] != current.get(year)}
        if self._seen is not None:  # a replica counts again only what changed in its own calendar
            changed = {year for year in changed if self._seen.get(year) != current.get(year)}
        if await recount(frozenset(changed)):
            await self._record(current, first_time | changed)
            self._seen = current
        return frozenset(changed)

    async def _recorded(self) -> dict[int, str]:
        async with self._sessions() as session:
            rows = await session.execute(select(self._table.c.year, self._table.c.fingerprint))
            return {row.year: row.fingerprint for row in rows}

    async def _record(self, current: dict[int, str], years: set[int]) -> None:
        """Write `years` as the calendar has them (replicas may write the same at once: an upsert)."""
        if not years:
            return
        t = self._table
        async with self._sessions() as session, session.begin():
            await session.execute(delete(t).where(t.c.year.in_(years - current.keys())))
            dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
            now = datetime.now(UTC)
            for year in sorted(years & current.keys()):
                upsert = dialect.insert(t).values(year=year, fingerprint=current[year], counted_at=now)
                changes = {"fingerprint": current[year], "counted_at": now}
                await session.execute(upsert.on_conflict_do_update(index_elements=[t.c.year], set_=changes))
