"""counted again when the calendar changes (docs/working-days.md): the working days each due time was counted
with, and the official schedules the open tickets were last counted on. Tickets accepted before have no count
(null): while provisional they are counted with the limits in force, as before

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-03 12:00:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | Sequence[str] | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_COUNTS = ("due_working_days", "sign_due_working_days")


def upgrade() -> None:
    with op.batch_alter_table("tickets") as batch:
        for count in _COUNTS:
            batch.add_column(sa.Column(count, sa.Integer(), nullable=True))
    op.create_table(
        "calendar_schedules",
        sa.Column("year", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column("fingerprint", sa.String(64), nullable=False),
        sa.Column("counted_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("calendar_schedules")
    with op.batch_alter_table("tickets") as batch:
        for count in _COUNTS:
            batch.drop_column(count)
