"""catalogue entries and entered report figures of the stacks below, projected from the roll-up, for the
consolidated tables 二 and 四

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-28 02:00:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | Sequence[str] | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "catalogue_below",
        sa.Column("entry_id", sa.String(length=36), nullable=False),
        sa.Column("division", sa.String(length=12), nullable=False),
        sa.Column("force_level", sa.String(length=20), nullable=False),
        sa.Column("force_version", sa.Integer(), nullable=False),
        sa.Column("formed_on", sa.Date(), nullable=True),
        sa.Column("repealed_on", sa.Date(), nullable=True),
        sa.PrimaryKeyConstraint("entry_id"),
    )
    op.create_table(
        "figures_below",
        sa.Column("division", sa.String(length=12), nullable=False),
        sa.Column("year", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("figures", sa.Text(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("division", "year"),
    )


def downgrade() -> None:
    op.drop_table("figures_below")
    op.drop_table("catalogue_below")
