"""knowledge and routing with disclosure: documents linked to a ticket; the disclosure request of a ticket

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-05 01:00:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | Sequence[str] | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("tickets", schema=None) as batch_op:
        batch_op.add_column(sa.Column("disclosure_request_id", sa.String(36), nullable=True))
        batch_op.add_column(sa.Column("disclosure_request_number", sa.String(32), nullable=True))
        batch_op.create_unique_constraint("uq_tickets_disclosure_request", ["disclosure_request_id"])
    op.create_table(
        "ticket_documents",
        sa.Column("ticket_id", sa.String(36), sa.ForeignKey("tickets.id"), primary_key=True),
        sa.Column("entry_id", sa.String(36), primary_key=True),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("document_number", sa.String(100), nullable=False),
        sa.Column("validity", sa.String(16), nullable=False),
        sa.Column("linked_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("linked_by", sa.String(100), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("ticket_documents")
    with op.batch_alter_table("tickets", schema=None) as batch_op:
        batch_op.drop_constraint("uq_tickets_disclosure_request", type_="unique")
        batch_op.drop_column("disclosure_request_number")
        batch_op.drop_column("disclosure_request_id")
