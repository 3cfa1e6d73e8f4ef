"""provisional due times (预计, docs/working-days.md): a flag beside the handling and signing due times counted
through a year whose holiday arrangement is not published yet

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-03 09:30:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | Sequence[str] | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_FLAGS = ("due_at_provisional", "sign_due_at_provisional")


def upgrade() -> None:
    with op.batch_alter_table("tickets") as batch:
        for flag in _FLAGS:
            batch.add_column(sa.Column(flag, sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade() -> None:
    with op.batch_alter_table("tickets") as batch:
        for flag in _FLAGS:
            batch.drop_column(flag)
