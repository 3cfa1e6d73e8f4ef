"""idempotency keys of submitted requests: the key qualified by the caller's scope (`<scope>|<key>`, unique, null
without one) and the submission's fingerprint

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-28 03:00:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | Sequence[str] | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_INDEX = "uq_disclosure_requests_idempotency_key"


def upgrade() -> None:
    with op.batch_alter_table("disclosure_requests") as batch:
        batch.add_column(sa.Column("idempotency_key", sa.String(length=240), nullable=True))
        batch.add_column(sa.Column("idempotency_fingerprint", sa.String(length=64), nullable=True))
    op.create_index(_INDEX, "disclosure_requests", ["idempotency_key"], unique=True)


def downgrade() -> None:
    op.drop_index(_INDEX, table_name="disclosure_requests")
    with op.batch_alter_table("disclosure_requests") as batch:
        batch.drop_column("idempotency_fingerprint")
        batch.drop_column("idempotency_key")
