"""provisional dates (预计, docs/working-days.md): a flag beside every date counted through a year whose holiday
arrangement is not published yet; the clock's pauses kept so the paused working days can be counted again; the
history of dates recomputed on an official arrangement; the third party's limit while consulting and the day a
consultation lapsed (Art. 32); the period given to correct and its last day (Art. 30)

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03 09:00:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | Sequence[str] | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_FLAGS = {
    "disclosure_requests": (
        "due_on_provisional",
        "third_party_due_provisional",
        "fee_pay_by_provisional",
        "correction_due_provisional",
    ),
    "catalogue_entries": ("due_on_provisional",),
    "major_decisions": ("notice_provisional",),
}


def upgrade() -> None:
    for table, flags in _FLAGS.items():
        with op.batch_alter_table(table) as batch:
            for flag in flags:
                batch.add_column(sa.Column(flag, sa.Boolean(), nullable=False, server_default=sa.false()))
    with op.batch_alter_table("disclosure_requests") as batch:
        batch.add_column(sa.Column("third_party_due_on", sa.Date(), nullable=True))
        batch.add_column(sa.Column("consultation_lapsed_on", sa.Date(), nullable=True))
        batch.add_column(sa.Column("correction_period_days", sa.Integer(), nullable=False, server_default="0"))
        batch.add_column(sa.Column("correction_due_on", sa.Date(), nullable=True))
        batch.add_column(sa.Column("pauses", sa.Text(), nullable=False, server_default="[]"))
        batch.add_column(sa.Column("recomputations", sa.Text(), nullable=False, server_default="[]"))


def downgrade() -> None:
    with op.batch_alter_table("disclosure_requests") as batch:
        batch.drop_column("recomputations")
        batch.drop_column("pauses")
        batch.drop_column("correction_due_on")
        batch.drop_column("correction_period_days")
        batch.drop_column("consultation_lapsed_on")
        batch.drop_column("third_party_due_on")
    for table, flags in _FLAGS.items():
        with op.batch_alter_table(table) as batch:
            for flag in flags:
                batch.drop_column(flag)
