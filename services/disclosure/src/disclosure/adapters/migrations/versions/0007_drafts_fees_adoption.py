"""fee notices of requests (收费通知), withdrawn catalogue drafts, the adoption text of decision comments

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-28 02:00:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | Sequence[str] | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_FEE_COLUMNS = (
    ("fee_basis", sa.String(length=20)),
    ("fee_quantity", sa.Integer()),
    ("fee_earlier_items", sa.Integer()),
    ("fee_amount_yuan", sa.Integer()),
    ("fee_notified_on", sa.Date()),
    ("fee_pay_by", sa.Date()),
    ("fee_paid_on", sa.Date()),
)


def upgrade() -> None:
    with op.batch_alter_table("disclosure_requests") as batch:
        for name, type_ in _FEE_COLUMNS:
            batch.add_column(sa.Column(name, type_, nullable=True))
        batch.add_column(sa.Column("fee_lapsed", sa.Boolean(), nullable=False, server_default=sa.false()))
    with op.batch_alter_table("catalogue_entries") as batch:
        batch.add_column(sa.Column("withdrawn_on", sa.Date(), nullable=True))
        batch.add_column(sa.Column("withdrawal_reason", sa.Text(), nullable=False, server_default=""))
    with op.batch_alter_table("major_decisions") as batch:
        batch.add_column(sa.Column("feedback_explanation", sa.Text(), nullable=False, server_default=""))
    with op.batch_alter_table("decision_comments") as batch:
        batch.add_column(sa.Column("adoption", sa.String(length=20), nullable=False, server_default=""))
        batch.add_column(sa.Column("adoption_summary", sa.Text(), nullable=False, server_default=""))
        batch.add_column(sa.Column("adoption_reason", sa.Text(), nullable=False, server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("decision_comments") as batch:
        for name in ("adoption_reason", "adoption_summary", "adoption"):
            batch.drop_column(name)
    with op.batch_alter_table("major_decisions") as batch:
        batch.drop_column("feedback_explanation")
    with op.batch_alter_table("catalogue_entries") as batch:
        batch.drop_column("withdrawal_reason")
        batch.drop_column("withdrawn_on")
    with op.batch_alter_table("disclosure_requests") as batch:
        batch.drop_column("fee_lapsed")
        for name, _type in reversed(_FEE_COLUMNS):
            batch.drop_column(name)
