"""major decisions (重大行政决策) and their public comments

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-28 02:00:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | Sequence[str] | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "major_decisions",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("draft_text", sa.Text(), nullable=False),
        sa.Column("lead_unit", sa.String(length=100), nullable=False),
        sa.Column("responsible_units", sa.Text(), nullable=False),
        sa.Column("opens_on", sa.Date(), nullable=False),
        sa.Column("notice_ends_on", sa.Date(), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("comment_count", sa.Integer(), nullable=False),
        sa.Column("closed_on", sa.Date(), nullable=True),
        sa.Column("hearing_on", sa.Date(), nullable=True),
        sa.Column("risk_passed", sa.Boolean(), nullable=True),
        sa.Column("expert_reviewed_on", sa.Date(), nullable=True),
        sa.Column("decided_on", sa.Date(), nullable=True),
        sa.Column("feedback_published_on", sa.Date(), nullable=True),
        sa.Column("adopted_count", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_major_decisions_state_opens", "major_decisions", ["state", "opens_on"])
    op.create_table(
        "decision_comments",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("decision_id", sa.String(length=36), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("commenter_name", sa.String(length=50), nullable=False),
        sa.Column("commenter_contact", sa.String(length=100), nullable=False),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_decision_comments_decision_id", "decision_comments", ["decision_id"])


def downgrade() -> None:
    op.drop_table("decision_comments")
    op.drop_index("ix_major_decisions_state_opens", table_name="major_decisions")
    op.drop_table("major_decisions")
