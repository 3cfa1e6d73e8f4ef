"""The roll-up's projections of the stacks below (figures_below, catalogue_below) against the real database,
SQLite and PostgreSQL: with replicas applying events concurrently, an older event whose writer read the row
before a newer one committed must not overwrite the newer when it commits last.

The race is staged: the older event's writer is held just before its first write while the newer one commits.
On PostgreSQL that is the real interleaving (a read holds no lock); SQLite opens every transaction with BEGIN
IMMEDIATE, so its writers never interleave and the newer one commits before the older writer begins (those
cases held before this fix too; they check the statements on SQLite).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime
from typing import Any

import pytest
from disclosure.adapters.catalogue_below_repository import CatalogueBelowRepository
from disclosure.adapters.figures_below_repository import FiguresBelowRepository
from disclosure.adapters.tables import catalogue_below
from disclosure.domain.annual_report import ReportFigures
from disclosure.main import MIGRATIONS
from disclosure.service.catalogue_below import REPEAL_VERSION
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession
from sunshine_kit.db import session_factory
from sunshine_kit.migrations import upgrade_to_head

DIVISION, YEAR, ENTRY = "510104", 2025, "7d1f3c52-0f7e-4c1b-9a51-2b7f0c9e4a11"
T0, T1, T2 = (datetime(2026, 1, day, 9, 0, tzinfo=UTC) for day in (5, 6, 7))


class _HeldBeforeWriting:
    """The repository's session, running `meanwhile` (another replica's commit) before the first write."""

    def __init__(self, session: AsyncSession, meanwhile: Callable[[], Awaitable[None]]) -> None:
        self._session, self._meanwhile = session, meanwhile

    def get_bind(self) -> Any:
        return self._session.get_bind()

    async def execute(self, statement: Any, *args: Any, **kwargs: Any) -> Any:
        if self._meanwhile is not None and statement.is_dml:
            meanwhile, self._meanwhile = self._meanwhile, None
            await meanwhile()
        return await self._session.execute(statement, *args, **kwargs)


async def _race(engine: AsyncEngine, older: Callable[[Any], Awaitable[None]], newer: Callable[[Any], Awaitable[None]]):
    """`older` applied by one replica, `newer` committed by another after the first read but before its write."""
    sessions = session_factory(engine)

    async def commit_newer() -> None:
        async with sessions() as session, session.begin():
            await newer(session)

    if engine.dialect.name == "sqlite":  # writers are serialized (BEGIN IMMEDIATE): the newer one goes first
        await commit_newer()
        async with sessions() as session, session.begin():
            await older(session)
        return
    async with sessions() as session, session.begin():
        await older(_HeldBeforeWriting(session, commit_newer))


def _figures(licensing: int) -> ReportFigures:
    return ReportFigures(YEAR, licensing_decisions=licensing)


@pytest.fixture
async def engine(db_engine: AsyncEngine) -> AsyncEngine:
    await upgrade_to_head(db_engine, MIGRATIONS)
    return db_engine


@pytest.mark.parametrize("stored_before", [True, False], ids=["row-stored", "no-row-yet"])
async def test_older_figures_committed_last_leave_the_newer(engine: AsyncEngine, stored_before: bool) -> None:
    sessions = session_factory(engine)
    if stored_before:
        async with sessions() as session, session.begin():
            await FiguresBelowRepository(session).record(DIVISION, _figures(1), T0)
    await _race(
        engine,
        older=lambda session: FiguresBelowRepository(session).record(DIVISION, _figures(2), T1),
        newer=lambda session: FiguresBelowRepository(session).record(DIVISION, _figures(3), T2),
    )
    async with sessions() as session:
        kept = await FiguresBelowRepository(session).of_year(YEAR)
    assert kept[DIVISION].licensing_decisions == 3


async def test_a_revision_committed_after_the_repeal_does_not_undo_it(engine: AsyncEngine) -> None:
    sessions = session_factory(engine)
    async with sessions() as session, session.begin():
        await CatalogueBelowRepository(session).record(ENTRY, DIVISION, "规范性文件", 1, formed_on=date(2025, 3, 1))
    await _race(
        engine,
        older=lambda session: CatalogueBelowRepository(session).record(ENTRY, DIVISION, "工作文件", 2),
        newer=lambda session: CatalogueBelowRepository(session).record(
            ENTRY, DIVISION, "规范性文件", REPEAL_VERSION, repealed_on=date(2025, 9, 1)
        ),
    )
    t = catalogue_below.c
    async with engine.connect() as connection:
        row = (await connection.execute(select(t.force_level, t.force_version, t.formed_on, t.repealed_on))).one()
    assert tuple(row) == ("规范性文件", REPEAL_VERSION, date(2025, 3, 1), date(2025, 9, 1))
