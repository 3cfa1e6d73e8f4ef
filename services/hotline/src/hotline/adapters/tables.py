"""The hotline database: its tables, and the kit's outbox and inbox in the same schema."""

from __future__ import annotations

from sqlalchemy import Column, DateTime, MetaData, String, Table, Text
from sunshine_kit.inbox import inbox_table
from sunshine_kit.outbox import outbox_table

metadata = MetaData()

tickets = Table(
    "tickets",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("category", String(16), nullable=False),
    Column("topic", String(50), nullable=False),
    Column("channel", String(16), nullable=False),
    Column("place_division", String(9), nullable=False, index=True),
    Column("address", String(200), nullable=False),
    Column("description", Text, nullable=False),
    Column("state", String(16), nullable=False),
    Column("accepted_at", DateTime(timezone=True), nullable=False),
    Column("due_at", DateTime(timezone=True), nullable=False),
)

outbox = outbox_table(metadata)
inbox = inbox_table(metadata)
