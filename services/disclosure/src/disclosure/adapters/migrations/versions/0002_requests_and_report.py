"""disclosure requests, report figures, catalogue force level, key area, validity and search index

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28 00:30:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("catalogue_entries") as batch_op:
        batch_op.add_column(sa.Column("force_level", sa.String(length=20), server_default="其他", nullable=False))
        batch_op.add_column(sa.Column("key_area", sa.String(length=50), server_default="", nullable=False))
        batch_op.add_column(sa.Column("validity", sa.String(length=10), server_default="现行有效", nullable=False))
    op.create_table(
        "search_postings",
        sa.Column("token", sa.String(length=8), nullable=False),
        sa.Column("entry_id", sa.String(length=36), nullable=False),
        sa.Column("weight", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("token", "entry_id"),
    )
    op.create_index("ix_search_postings_entry", "search_postings", ["entry_id"])
    op.create_table(
        "disclosure_requests",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("number", sa.String(length=40), nullable=False),
        sa.Column("code_digest", sa.String(length=64), nullable=False),
        sa.Column("applicant_type", sa.String(length=40), nullable=False),
        sa.Column("applicant_name", sa.String(length=100), nullable=False),
        sa.Column("applicant_phone", sa.String(length=30), nullable=False),
        sa.Column("applicant_id_number", sa.String(length=30), nullable=False),
        sa.Column("applicant_address", sa.String(length=200), nullable=False),
        sa.Column("channel", sa.String(length=20), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("state", sa.String(length=30), nullable=False),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("received_on", sa.Date(), nullable=True),
        sa.Column("clock_started_on", sa.Date(), nullable=True),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("correction_asked_on", sa.Date(), nullable=True),
        sa.Column("corrected_on", sa.Date(), nullable=True),
        sa.Column("extension_days", sa.Integer(), nullable=False),
        sa.Column("extension_approver", sa.String(length=100), nullable=False),
        sa.Column("extension_reason", sa.Text(), nullable=False),
        sa.Column("consultation_started_on", sa.Date(), nullable=True),
        sa.Column("paused_working_days", sa.Integer(), nullable=False),
        sa.Column("answered_on", sa.Date(), nullable=True),
        sa.Column("outcome", sa.String(length=4), nullable=True),
        sa.Column("outcome_reason", sa.Text(), nullable=False),
        sa.Column("overdue", sa.Boolean(), nullable=False),
        sa.Column("last_acted_on", sa.Date(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("number"),
    )
    op.create_index("ix_disclosure_requests_state_due", "disclosure_requests", ["state", "due_on"])
    op.create_index("ix_disclosure_requests_received_answered", "disclosure_requests", ["received_on", "answered_on"])
    op.create_table(
        "report_figures",
        sa.Column("year", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("figures", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("year"),
    )


def downgrade() -> None:
    op.drop_index("ix_search_postings_entry", table_name="search_postings")
    op.drop_table("search_postings")
    op.drop_table("report_figures")
    op.drop_index("ix_disclosure_requests_received_answered", table_name="disclosure_requests")
    op.drop_index("ix_disclosure_requests_state_due", table_name="disclosure_requests")
    op.drop_table("disclosure_requests")
    with op.batch_alter_table("catalogue_entries") as batch_op:
        batch_op.drop_column("validity")
        batch_op.drop_column("key_area")
        batch_op.drop_column("force_level")
