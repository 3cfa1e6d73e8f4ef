"""catalogue lifecycle: drafts, versions, repeal, interpretations, full metadata

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-28 01:00:00

"""

import json
from collections.abc import Sequence
from datetime import date, datetime

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | Sequence[str] | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("catalogue_entries") as batch_op:
        batch_op.alter_column("published_at", existing_type=sa.DateTime(timezone=True), nullable=True)
        batch_op.add_column(sa.Column("content", sa.Text(), server_default="{}", nullable=False))
        batch_op.add_column(sa.Column("state", sa.String(length=10), server_default="published", nullable=False))
        batch_op.add_column(sa.Column("version", sa.Integer(), server_default="1", nullable=False))
        batch_op.add_column(sa.Column("repealed_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("interprets", sa.String(length=36), nullable=True))
        batch_op.add_column(sa.Column("lock_version", sa.Integer(), server_default="0", nullable=False))
        batch_op.create_index("ix_catalogue_entries_interprets", ["interprets"])
    versions = op.create_table(
        "catalogue_versions",
        sa.Column("entry_id", sa.String(length=36), nullable=False),
        sa.Column("version", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("formed_on", sa.Date(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("entry_id", "version"),
    )
    _backfill(versions)

def _backfill(versions: sa.Table) -> None:
    """Entries published before this revision become version 1 of themselves, with their content as JSON."""
    rows = op.get_bind().execute(
        sa.text(
            "SELECT id, title, issuing_organ, document_number, formed_on, body, force_level, key_area, due_on,"
            " published_at FROM catalogue_entries"
        )
    )
    for row in rows.mappings().all():
        content = json.dumps(
            {
                "title": row["title"], "issuing_organ": row["issuing_organ"],
                "document_number": row["document_number"], "formed_on": str(row["formed_on"]), "body": row["body"],
                "force_level": row["force_level"], "key_area": row["key_area"],
            },
            ensure_ascii=False,
        )  # fmt: skip
        update = sa.text("UPDATE catalogue_entries SET content = :c WHERE id = :id")
        op.execute(update.bindparams(c=content, id=row["id"]))
        op.bulk_insert(
            versions,
            [{"entry_id": row["id"], "version": 1, "content": content,
              "formed_on": date.fromisoformat(str(row["formed_on"])),
              "due_on": date.fromisoformat(str(row["due_on"])),
              "published_at": datetime.fromisoformat(str(row["published_at"]))}],
        )  # fmt: skip


def downgrade() -> None:
    op.drop_table("catalogue_versions")
    with op.batch_alter_table("catalogue_entries") as batch_op:
        batch_op.drop_index("ix_catalogue_entries_interprets")
        for name in ("lock_version", "interprets", "repealed_on", "version", "state", "content"):
            batch_op.drop_column(name)
        batch_op.alter_column("published_at", existing_type=sa.DateTime(timezone=True), nullable=False)
