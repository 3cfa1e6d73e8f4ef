"""search at scale: document frequencies kept with the postings, a "" posting per public entry, the weight in the
postings' key

- `search_tokens` (token → entries holding it) is filled from the postings as they stand;
- every public entry gets a posting of the token "" (weight 0): its count is the number of public entries;
- the weight is read with the (token, entry) key, without the table row: on SQLite `search_postings` is rebuilt as
  a WITHOUT ROWID table, on PostgreSQL its primary key INCLUDEs the weight.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-28 02:00:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | Sequence[str] | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        _rebuild_postings(with_rowid=False)
    else:
        _primary_key("INCLUDE (weight)")
    op.create_table(
        "search_tokens",
        sa.Column("token", sa.String(length=8), nullable=False),
        sa.Column("entries", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("token"),
    )
    op.execute(
        "INSERT INTO search_postings (token, entry_id, weight)"
        " SELECT '', id, 0 FROM catalogue_entries WHERE state IN ('published', 'repealed')"
    )
    op.execute("INSERT INTO search_tokens (token, entries) SELECT token, count(*) FROM search_postings GROUP BY token")


def downgrade() -> None:
    op.drop_table("search_tokens")
    op.execute("DELETE FROM search_postings WHERE token = ''")
    if op.get_bind().dialect.name == "sqlite":
        _rebuild_postings(with_rowid=True)
    else:
        _primary_key("")


def _rebuild_postings(with_rowid: bool) -> None:
    op.create_table(
        "search_postings_rebuilt",
        sa.Column("token", sa.String(length=8), nullable=False),
        sa.Column("entry_id", sa.String(length=36), nullable=False),
        sa.Column("weight", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("token", "entry_id"),
        sqlite_with_rowid=with_rowid,
    )
    op.execute(
        "INSERT INTO search_postings_rebuilt (token, entry_id, weight)"
        " SELECT token, entry_id, weight FROM search_postings ORDER BY token, entry_id"
    )
    op.drop_index("ix_search_postings_entry", table_name="search_postings")
    op.drop_table("search_postings")
    op.rename_table("search_postings_rebuilt", "search_postings")
    op.create_index("ix_search_postings_entry", "search_postings", ["entry_id"])


def _primary_key(include: str) -> None:
    op.execute(
        "ALTER TABLE search_postings DROP CONSTRAINT search_postings_pkey,"
        f" ADD CONSTRAINT search_postings_pkey PRIMARY KEY (token, entry_id) {include}"
    )
