"""cross-level dispatch: the child's reported state on a handed-down ticket; the origin of a received one

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-28 01:00:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | Sequence[str] | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

NEW_COLUMNS = (
    ("below_state", sa.String(16)),
    ("origin_division", sa.String(9)),
    ("origin_ticket_id", sa.String(36)),
    ("origin_ticket_number", sa.String(16)),
)


def upgrade() -> None:
    with op.batch_alter_table("tickets", schema=None) as batch_op:
        for name, column_type in NEW_COLUMNS:
            batch_op.add_column(sa.Column(name, column_type, nullable=True))
        batch_op.create_unique_constraint("uq_tickets_origin", ["origin_division", "origin_ticket_id"])


def downgrade() -> None:
    with op.batch_alter_table("tickets", schema=None) as batch_op:
        batch_op.drop_constraint("uq_tickets_origin", type_="unique")
        for name, _type in reversed(NEW_COLUMNS):
            batch_op.drop_column(name)
