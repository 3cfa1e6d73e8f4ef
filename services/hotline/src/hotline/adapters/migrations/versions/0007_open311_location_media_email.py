"""the ticket's coordinates and media URL, and the caller's email (sealed), as Open311 callers give them

Until now lat/long were kept only as address text, and media_url and email were dropped.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03 10:00:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | Sequence[str] | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("tickets") as batch:
        batch.add_column(sa.Column("caller_email", sa.LargeBinary, nullable=True))
        batch.add_column(sa.Column("latitude", sa.Float, nullable=True))
        batch.add_column(sa.Column("longitude", sa.Float, nullable=True))
        batch.add_column(sa.Column("media_url", sa.String(500), nullable=False, server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("tickets") as batch:
        for column in ("media_url", "longitude", "latitude", "caller_email"):
            batch.drop_column(column)
