"""closed loop: caller data sealed, dispatch, callback, clock, follow code; ticket history

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

TZ = sa.DateTime(timezone=True)
NEW_COLUMNS = (
    ("number", sa.String(16), {"nullable": True}),
    ("urgency", sa.String(8), {"nullable": False, "server_default": "NORMAL"}),
    ("confidential", sa.Boolean(), {"nullable": False, "server_default": sa.false()}),
    ("caller_name", sa.LargeBinary(), {"nullable": True}),
    ("caller_phone", sa.LargeBinary(), {"nullable": True}),
    ("caller_id_number", sa.LargeBinary(), {"nullable": True}),
    ("caller_key", sa.String(64), {"nullable": True}),
    ("follow_code_hash", sa.String(64), {"nullable": False, "server_default": ""}),
    ("clock_started_at", TZ, {"nullable": True}),
    ("lead_unit", sa.String(40), {"nullable": False, "server_default": ""}),
    ("assisting_units", sa.String(400), {"nullable": False, "server_default": ""}),
    ("dispatched_at", TZ, {"nullable": True}),
    ("sign_due_at", TZ, {"nullable": True}),
    ("answer", sa.Text(), {"nullable": False, "server_default": ""}),
    ("direct_answer", sa.Boolean(), {"nullable": False, "server_default": sa.false()}),
    ("satisfaction", sa.String(24), {"nullable": True}),
    ("resolved", sa.Boolean(), {"nullable": True}),
    ("reopen_count", sa.Integer(), {"nullable": False, "server_default": "0"}),
    ("urge_count", sa.Integer(), {"nullable": False, "server_default": "0"}),
    ("escalated", sa.Boolean(), {"nullable": False, "server_default": sa.false()}),
    ("requested_due_at", TZ, {"nullable": True}),
    ("merged_into", sa.String(36), {"nullable": False, "server_default": ""}),
    ("duplicate_of", sa.String(36), {"nullable": False, "server_default": ""}),
    ("duplicate_score", sa.Float(), {"nullable": False, "server_default": "0"}),
    ("clock_notices", sa.String(64), {"nullable": False, "server_default": ""}),
    ("closed_at", TZ, {"nullable": True}),
    ("updated_at", TZ, {"nullable": True}),
)
NEW_INDEXES = (("state",), ("accepted_at",), ("caller_key",), ("lead_unit",))


def upgrade() -> None:
    with op.batch_alter_table("tickets", schema=None) as batch_op:
        for name, column_type, options in NEW_COLUMNS:
            batch_op.add_column(sa.Column(name, column_type, **options))
        batch_op.create_unique_constraint("uq_tickets_number", ["number"])
        for (column,) in NEW_INDEXES:
            batch_op.create_index(f"ix_tickets_{column}", [column], unique=False)
    op.create_table(
        "ticket_history",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("ticket_id", sa.String(36), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(32), nullable=False),
        sa.Column("from_state", sa.String(16), nullable=False),
        sa.Column("to_state", sa.String(16), nullable=False),
        sa.Column("actor", sa.String(32), nullable=False),
        sa.Column("actor_id", sa.String(100), nullable=False),
        sa.Column("at", TZ, nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["ticket_id"], ["tickets.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_ticket_history_ticket_id", "ticket_history", ["ticket_id"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_ticket_history_ticket_id", table_name="ticket_history")
    op.drop_table("ticket_history")
    with op.batch_alter_table("tickets", schema=None) as batch_op:
        for (column,) in NEW_INDEXES:
            batch_op.drop_index(f"ix_tickets_{column}")
        batch_op.drop_constraint("uq_tickets_number", type_="unique")
        for name, _type, _options in reversed(NEW_COLUMNS):
            batch_op.drop_column(name)
