"""Migration 0011 fills in what earlier rows lack, on SQLite and PostgreSQL: a correction notice recorded before
0010 gets the stack's default period (so 6.1 waits for it), an open decision its counted dates, a version due
in a provisional year its flag. The dates are chinesecalendar's 2026 and provisional 2027."""

from __future__ import annotations

from datetime import UTC, date, datetime

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from disclosure.adapters.tables import catalogue_versions, disclosure_requests, major_decisions
from disclosure.main import MIGRATIONS
from sqlalchemy import Connection
from sqlalchemy.ext.asyncio import AsyncEngine

LEGACY_REQUEST = {
    "number": "510104-2026-0001", "code_digest": "x", "applicant_type": "natural_person", "applicant_name": "",
    "applicant_phone": "", "applicant_id_number": "", "applicant_address": "", "channel": "in_person",
    "description": "…", "submitted_at": datetime(2026, 11, 2, tzinfo=UTC), "received_on": date(2026, 11, 2),
    "clock_started_on": date(2026, 11, 2), "due_on": date(2026, 11, 30), "extension_days": 0,
    "extension_approver": "", "extension_reason": "", "paused_working_days": 0, "outcome_reason": "",
    "overdue": False, "version": 1,
}  # fmt: skip


def migrate(connection: Connection, revision: str) -> None:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    command.upgrade(config, revision)


def legacy_rows(connection: Connection) -> None:
    """As stored before 0011: a notice asked 11-20 with no period (before 0010), an open consultation with a
    scheduled hearing, a version due in 2027."""
    requests = sa.table("disclosure_requests", *(sa.column(name) for name in (*LEGACY_REQUEST, "id", "state",
                        "correction_asked_on")))  # fmt: skip
    connection.execute(requests.insert().values(
        id="awaiting", state="awaiting_correction", correction_asked_on=date(2026, 11, 20), **LEGACY_REQUEST
    ))  # fmt: skip
    answered = {**LEGACY_REQUEST, "number": "510104-2026-0002"}
    connection.execute(requests.insert().values(
        id="answered", state="answered", correction_asked_on=date(2026, 11, 3), **answered
    ))  # fmt: skip
    decisions = sa.table("major_decisions", *(sa.column(n) for n in ("id", "title", "draft_text", "lead_unit",
                         "responsible_units", "opens_on", "notice_ends_on", "hearing_on", "state",
                         "comment_count", "adopted_count")))  # fmt: skip
    connection.execute(decisions.insert().values(
        id="open", title="t", draft_text="d", lead_unit="u", responsible_units="[]", opens_on=date(2026, 12, 14),
        notice_ends_on=date(2026, 12, 31), hearing_on=date(2027, 1, 5), state="consulting", comment_count=0,
        adopted_count=0,
    ))  # fmt: skip
    versions = sa.table("catalogue_versions", *(sa.column(n) for n in ("entry_id", "version", "content",
                        "formed_on", "due_on", "published_at")))  # fmt: skip
    for version, (formed_on, due_on) in enumerate(
        [(date(2026, 11, 2), date(2026, 11, 30)), (date(2026, 12, 14), date(2027, 1, 12))], start=1
    ):
        connection.execute(versions.insert().values(
            entry_id="entry", version=version, content="{}", formed_on=formed_on, due_on=due_on,
            published_at=datetime(2027, 1, 4, tzinfo=UTC),
        ))  # fmt: skip


async def test_0011_fills_in_legacy_rows_on_the_calendar_as_it_is(db_engine: AsyncEngine, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("SUNSHINE_DISCLOSURE_CORRECTION_PERIOD_WORKING_DAYS", "10")
    async with db_engine.begin() as connection:
        await connection.run_sync(migrate, "0011-1")
        await connection.run_sync(legacy_rows)
        await connection.run_sync(migrate, "head")
    async with db_engine.connect() as connection:
        r = disclosure_requests.c
        period = sa.select(r.id, r.correction_period_days, r.correction_due_on, r.correction_due_provisional)
        rows = {row.id: tuple(row)[1:] for row in await connection.execute(period)}
        d = major_decisions.c
        counted = sa.select(d.notice_earliest_end, d.hearing_by, d.hearing_by_provisional)
        decision = (await connection.execute(counted)).one()
        v = catalogue_versions.c
        flags = [row.due_on_provisional for row in await connection.execute(sa.select(v).order_by(v.version))]
    # 10 working days from 11-20: 11-23..27, 11-30, 12-01..04.
    assert rows == {"awaiting": (10, date(2026, 12, 4), False), "answered": (0, None, False)}
    # 12-15..18, 12-21..25 (9), 12-28 (10); the window after 12-31: 01-04..08 in provisional 2027 (01-01 off).
    assert tuple(decision) == (date(2026, 12, 28), date(2027, 1, 8), True)
    assert flags == [False, True]
