"""requests of the stacks below, projected from the roll-up, for the consolidated annual report

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02 02:00:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | Sequence[str] | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "requests_below",
        sa.Column("request_id", sa.String(length=36), nullable=False),
        sa.Column("division", sa.String(length=12), nullable=False),
        sa.Column("applicant_type", sa.String(length=40), nullable=False),
        sa.Column("received_on", sa.Date(), nullable=False),
        sa.Column("answered_on", sa.Date(), nullable=True),
        sa.Column("outcome", sa.String(length=4), nullable=True),
        sa.PrimaryKeyConstraint("request_id"),
    )
    op.create_index("ix_requests_below_received_answered", "requests_below", ["received_on", "answered_on"])


def downgrade() -> None:
    op.drop_index("ix_requests_below_received_answered", table_name="requests_below")
    op.drop_table("requests_below")
