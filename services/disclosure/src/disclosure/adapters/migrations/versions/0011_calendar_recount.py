"""counted again when the calendar changes (docs/working-days.md): the official schedules the open cases were last
counted on; a provisional flag per published catalogue version; a major decision's earliest notice end, its
scheduled hearing's window and their history. Filled in for the rows already there, on the calendar as it is now:
which versions' deadlines are provisional, each open decision's dates, and the period of a correction notice
recorded before 0010 (the stack's default, Art. 30), so that 6.1 waits for it like any other

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-03 12:00:00

"""

from collections.abc import Sequence
from datetime import date

import sqlalchemy as sa
from alembic import op
from disclosure.adapters.settings import DisclosureSettings
from sunshine_kit.settings import StackSettings
from sunshine_kit.working_days import WorkingDayCalendar

revision: str = "0011"
down_revision: str | Sequence[str] | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

NOTICE_WORKING_DAYS = 10  # domain/major_decision.py, as when this was written
HEARING_WORKING_DAYS = 5

_versions = sa.table(
    "catalogue_versions",
    sa.column("entry_id"),
    sa.column("version"),
    sa.column("formed_on", sa.Date),
    sa.column("due_on", sa.Date),
    sa.column("due_on_provisional", sa.Boolean),
)
_decisions = sa.table(
    "major_decisions",
    sa.column("id"),
    sa.column("state"),
    sa.column("opens_on", sa.Date),
    sa.column("notice_ends_on", sa.Date),
    sa.column("hearing_on", sa.Date),
    sa.column("notice_earliest_end", sa.Date),
    sa.column("hearing_by", sa.Date),
    sa.column("hearing_by_provisional", sa.Boolean),
)
_requests = sa.table(
    "disclosure_requests",
    sa.column("id"),
    sa.column("state"),
    sa.column("correction_asked_on", sa.Date),
    sa.column("correction_period_days", sa.Integer),
    sa.column("correction_due_on", sa.Date),
    sa.column("correction_due_provisional", sa.Boolean),
)


def upgrade() -> None:
    op.create_table(
        "calendar_schedules",
        sa.Column("year", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column("fingerprint", sa.String(64), nullable=False),
        sa.Column("counted_at", sa.DateTime(timezone=True), nullable=False),
    )
    with op.batch_alter_table("catalogue_versions") as batch:
        batch.add_column(sa.Column("due_on_provisional", sa.Boolean(), nullable=False, server_default=sa.false()))
        batch.create_index("ix_catalogue_versions_provisional", ["due_on_provisional"])
    with op.batch_alter_table("major_decisions") as batch:
        batch.add_column(sa.Column("notice_earliest_end", sa.Date(), nullable=True))
        batch.add_column(sa.Column("hearing_by", sa.Date(), nullable=True))
        batch.add_column(sa.Column("hearing_by_provisional", sa.Boolean(), nullable=False, server_default=sa.false()))
        batch.add_column(sa.Column("recomputations", sa.Text(), nullable=False, server_default="[]"))
    calendar = WorkingDayCalendar(StackSettings().calendar_override_file)
    _flag_provisional_versions(calendar)
    _count_open_decisions(calendar)
    _give_legacy_corrections_the_default_period(calendar)


def _flag_provisional_versions(calendar: WorkingDayCalendar) -> None:
    """Only a deadline after the last official year can be provisional."""
    last_official = max(calendar.fingerprints())
    rows = op.get_bind().execute(
        sa.select(_versions.c.entry_id, _versions.c.version, _versions.c.formed_on, _versions.c.due_on).where(
            _versions.c.due_on > date(last_official, 12, 31)
        )
    )
    for row in rows.all():
        if calendar.provisional_between(row.formed_on, row.due_on):
            where = (_versions.c.entry_id == row.entry_id) & (_versions.c.version == row.version)
            op.execute(_versions.update().where(where).values(due_on_provisional=True))


def _count_open_decisions(calendar: WorkingDayCalendar) -> None:
    d = _decisions.c
    query = sa.select(d.id, d.opens_on, d.notice_ends_on, d.hearing_on).where(d.state != "decided")
    for row in op.get_bind().execute(query).all():
        values = {"notice_earliest_end": calendar.add_working_days(row.opens_on, NOTICE_WORKING_DAYS)}
        if row.hearing_on is not None:
            hearing_by = calendar.add_working_days(row.notice_ends_on, HEARING_WORKING_DAYS)
            values |= {
                "hearing_by": hearing_by,
                "hearing_by_provisional": calendar.provisional_between(row.notice_ends_on, hearing_by),
            }
        op.execute(_decisions.update().where(d.id == row.id).values(**values))


def _give_legacy_corrections_the_default_period(calendar: WorkingDayCalendar) -> None:
    r = _requests.c
    period = DisclosureSettings().correction_period_working_days
    awaiting = (r.state == "awaiting_correction") & (r.correction_period_days == 0) & r.correction_asked_on.isnot(None)
    for row in op.get_bind().execute(sa.select(r.id, r.correction_asked_on).where(awaiting)).all():
        due_on = calendar.add_working_days(row.correction_asked_on, period)
        provisional = calendar.provisional_between(row.correction_asked_on, due_on)
        values = {"correction_due_on": due_on, "correction_due_provisional": provisional}
        op.execute(_requests.update().where(r.id == row.id).values(correction_period_days=period, **values))


def downgrade() -> None:
    with op.batch_alter_table("major_decisions") as batch:
        batch.drop_column("recomputations")
        batch.drop_column("hearing_by_provisional")
        batch.drop_column("hearing_by")
        batch.drop_column("notice_earliest_end")
    with op.batch_alter_table("catalogue_versions") as batch:
        batch.drop_index("ix_catalogue_versions_provisional")
        batch.drop_column("due_on_provisional")
    op.drop_table("calendar_schedules")
