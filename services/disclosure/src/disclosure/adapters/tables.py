"""The disclosure database: its tables, and the kit's outbox and inbox in the same schema."""

from __future__ import annotations

from sqlalchemy import Column, Date, DateTime, MetaData, String, Table, Text
from sunshine_kit.inbox import inbox_table
from sunshine_kit.outbox import outbox_table

metadata = MetaData()

catalogue_entries = Table(
    "catalogue_entries",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("index_number", String(64), nullable=False, unique=True),
    Column("title", String(200), nullable=False),
    Column("issuing_organ", String(100), nullable=False),
    Column("document_number", String(100), nullable=False),
    Column("formed_on", Date, nullable=False),
    Column("due_on", Date, nullable=False),
    Column("published_at", DateTime(timezone=True), nullable=False),
    Column("body", Text, nullable=False),
)

outbox = outbox_table(metadata)
inbox = inbox_table(metadata)
