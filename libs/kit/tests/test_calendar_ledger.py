"""The official schedules the open cases were counted on, kept in the service's database: a year whose schedule
changes — while the service runs or while it is down — is given to the recount once, until it has counted every
case. The schedules below are illustrative test data, not official ones."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import MetaData
from sqlalchemy.ext.asyncio import AsyncEngine
from sunshine_kit.calendar_ledger import CalendarLedger, calendar_schedules_table
from sunshine_kit.db import session_factory
from sunshine_kit.working_days import WorkingDayCalendar

NEW_YEAR_ONLY = {"2027": {"holidays": ["2027-01-01"], "working_weekends": []}}
LONGER_NEW_YEAR = {"2027": {"holidays": ["2027-01-01", "2027-01-04"], "working_weekends": []}}
# A covered year corrected, as the State Council did for 2020 (春节 extended): here only its 2 February.
CORRECTED_2026 = {"2026": {"holidays": ["2026-01-01", "2026-02-02"], "working_weekends": []}}


class Recount:
    def __init__(self) -> None:
        self.given: list[frozenset[int]] = []
        self.complete = True

    async def __call__(self, changed: frozenset[int]) -> bool:
        self.given.append(changed)
        return self.complete


@pytest.fixture
async def ledger(db_engine: AsyncEngine) -> CalendarLedger:
    metadata = MetaData()
    table = calendar_schedules_table(metadata)
    async with db_engine.begin() as connection:
        await connection.run_sync(metadata.create_all)
    return CalendarLedger(session_factory(db_engine), table)


def calendar_with(tmp_path: Path, schedule: dict) -> WorkingDayCalendar:  # type: ignore[type-arg]
    override = tmp_path / "calendar.json"
    override.write_text(json.dumps(schedule))
    return WorkingDayCalendar(override)


def edit(calendar: WorkingDayCalendar, schedule: dict) -> None:  # type: ignore[type-arg]
    assert calendar.override_file is not None
    calendar.override_file.write_text(json.dumps(schedule))
    calendar.reload()


def test_a_fingerprint_is_the_schedule_not_its_source(tmp_path: Path) -> None:
    package = WorkingDayCalendar()
    copied = {"2026": {"holidays": sorted(map(str, package.schedule(2026).holidays)), "working_weekends": sorted(
        map(str, package.schedule(2026).working_weekends))}}  # fmt: skip
    assert calendar_with(tmp_path, copied).fingerprints()[2026] == package.fingerprints()[2026]
    assert calendar_with(tmp_path, CORRECTED_2026).fingerprints()[2026] != package.fingerprints()[2026]
    assert 2027 not in package.fingerprints()  # provisional: not official, no fingerprint


async def test_the_first_check_records_what_the_calendar_says(ledger, tmp_path) -> None:  # type: ignore[no-untyped-def]
    recount = Recount()
    assert await ledger.check(calendar_with(tmp_path, NEW_YEAR_ONLY), recount) == frozenset()
    assert recount.given == [frozenset()]


async def test_a_changed_year_is_given_once_the_file_is_edited(ledger, tmp_path) -> None:  # type: ignore[no-untyped-def]
    calendar, recount = calendar_with(tmp_path, NEW_YEAR_ONLY), Recount()
    await ledger.check(calendar, recount)
    edit(calendar, {**NEW_YEAR_ONLY, **CORRECTED_2026})
    assert await ledger.check(calendar, recount) == {2026}
    assert await ledger.check(calendar, recount) == frozenset()


async def test_a_year_no_longer_official_is_changed(ledger, tmp_path) -> None:  # type: ignore[no-untyped-def]
    calendar, recount = calendar_with(tmp_path, NEW_YEAR_ONLY), Recount()
    await ledger.check(calendar, recount)
    edit(calendar, {})
    assert await ledger.check(calendar, recount) == {2027}


async def test_an_incomplete_recount_is_given_the_years_again(ledger, tmp_path) -> None:  # type: ignore[no-untyped-def]
    calendar, recount = calendar_with(tmp_path, NEW_YEAR_ONLY), Recount()
    await ledger.check(calendar, recount)
    edit(calendar, LONGER_NEW_YEAR)
    recount.complete = False
    assert await ledger.check(calendar, recount) == {2027}
    recount.complete = True
    assert await ledger.check(calendar, recount) == {2027}
    assert await ledger.check(calendar, recount) == frozenset()


async def test_a_change_made_while_the_service_was_down_is_found_at_start(ledger, db_engine, tmp_path) -> None:  # type: ignore[no-untyped-def]
    await ledger.check(calendar_with(tmp_path, NEW_YEAR_ONLY), Recount())
    table = calendar_schedules_table(MetaData())
    restarted = CalendarLedger(session_factory(db_engine), table)
    assert await restarted.check(calendar_with(tmp_path, LONGER_NEW_YEAR), Recount()) == {2027}


async def test_a_replica_still_reading_the_old_file_does_not_count_back(ledger, db_engine, tmp_path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "old").mkdir(), (tmp_path / "new").mkdir()
    stale = calendar_with(tmp_path / "old", NEW_YEAR_ONLY)
    await ledger.check(stale, Recount())  # the replica that keeps the old file for a while
    other = CalendarLedger(session_factory(db_engine), calendar_schedules_table(MetaData()))
    assert await other.check(calendar_with(tmp_path / "new", LONGER_NEW_YEAR), Recount()) == {2027}
    assert await ledger.check(stale, Recount()) == frozenset()
    edit(stale, LONGER_NEW_YEAR)  # its file catches up: the other replica counted already
    assert await ledger.check(stale, Recount()) == frozenset()
