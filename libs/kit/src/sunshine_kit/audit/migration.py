"""Creating a service's audit trail in its Alembic migration: the tables, the chain's first head, and triggers
that refuse to change or delete an entry (PostgreSQL and SQLite)."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from sunshine_kit.audit.trail import GENESIS, HEAD_ID, HEAD_TABLE, LOG_TABLE, audit_tables

REFUSAL = "audit_log is append-only"


def create_audit_trail() -> None:
    log, head = audit_tables(sa.MetaData())
    bind = op.get_bind()
    log.create(bind)
    head.create(bind)
    op.execute(head.insert().values(id=HEAD_ID, seq=0, hash=GENESIS))
    for statement in _triggers(bind.dialect.name):
        op.execute(statement)


def drop_audit_trail() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"DROP TRIGGER IF EXISTS audit_log_append_only ON {LOG_TABLE}")
        op.execute(f"DROP TRIGGER IF EXISTS audit_log_no_truncate ON {LOG_TABLE}")
        op.execute(f"DROP TRIGGER IF EXISTS audit_head_kept ON {HEAD_TABLE}")
        op.execute("DROP FUNCTION IF EXISTS audit_log_refuse()")
    op.drop_table(HEAD_TABLE)
    op.drop_table(LOG_TABLE)


def _triggers(dialect: str) -> list[str]:
    if dialect == "postgresql":
        return [
            "CREATE FUNCTION audit_log_refuse() RETURNS trigger LANGUAGE plpgsql AS "
            f"$$ BEGIN RAISE EXCEPTION '{REFUSAL}'; END $$",
            f"CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON {LOG_TABLE} "
            "FOR EACH ROW EXECUTE FUNCTION audit_log_refuse()",
            f"CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON {LOG_TABLE} "
            "FOR EACH STATEMENT EXECUTE FUNCTION audit_log_refuse()",
            f"CREATE TRIGGER audit_head_kept BEFORE DELETE ON {HEAD_TABLE} "
            "FOR EACH ROW EXECUTE FUNCTION audit_log_refuse()",
        ]
    return [
        f"CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON {LOG_TABLE} BEGIN SELECT RAISE(ABORT, '{REFUSAL}'); END",
        f"CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON {LOG_TABLE} BEGIN SELECT RAISE(ABORT, '{REFUSAL}'); END",
        f"CREATE TRIGGER audit_head_kept BEFORE DELETE ON {HEAD_TABLE} BEGIN SELECT RAISE(ABORT, '{REFUSAL}'); END",
    ]
