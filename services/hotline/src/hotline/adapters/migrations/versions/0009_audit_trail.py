"""audit trail: hash-chained, append-only entries of who changed what and who read personal data

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03 10:00:00

"""

from collections.abc import Sequence

from sunshine_kit.audit.migration import create_audit_trail, drop_audit_trail

revision: str = "0009"
down_revision: str | Sequence[str] | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    create_audit_trail()


def downgrade() -> None:
    drop_audit_trail()
