"""The evaluation database: projections of everyone's events, and the kit's outbox and inbox."""

from __future__ import annotations

from sqlalchemy import BigInteger, Column, MetaData, String, Table
from sunshine_kit.audit import audit_tables
from sunshine_kit.inbox import inbox_table
from sunshine_kit.outbox import outbox_table

metadata = MetaData()

intake_counts = Table(
    "intake_counts",
    metadata,
    Column("division", String(9), primary_key=True),
    Column("category", String(16), primary_key=True),
    Column("count", BigInteger, nullable=False),
)

outbox = outbox_table(metadata)
inbox = inbox_table(metadata)
audit_log, audit_head = audit_tables(metadata)
