"""indexes for the duplicate check: recent tickets by place and by caller

At a million stored tickets the check read the whole 7-day window through the accepted_at index and filtered
it (45 ms on SQLite, 77 ms on PostgreSQL per intake, bench/hotline_duplicate_check.py).

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-28 01:10:00

"""

from collections.abc import Sequence

from alembic import op

revision: str = "0005"
down_revision: str | Sequence[str] | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_tickets_place_recent", "tickets", ["place_division", "accepted_at"])
    op.create_index("ix_tickets_caller_recent", "tickets", ["caller_key", "accepted_at"])


def downgrade() -> None:
    op.drop_index("ix_tickets_caller_recent", table_name="tickets")
    op.drop_index("ix_tickets_place_recent", table_name="tickets")
