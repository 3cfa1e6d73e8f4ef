"""The hotline database: its tables, and the kit's outbox and inbox in the same schema.

Caller name, phone, ID number and email are stored only sealed (AES-GCM, adapters/personal_data.py); `caller_key` is
a keyed hash that finds the same caller again without revealing the phone.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    false,
)
from sunshine_kit.audit import audit_tables
from sunshine_kit.calendar_ledger import calendar_schedules_table
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
    Column("state", String(16), nullable=False, index=True),
    Column("accepted_at", DateTime(timezone=True), nullable=False, index=True),
    Column("due_at", DateTime(timezone=True), nullable=False),
    Column("due_at_provisional", Boolean, nullable=False, server_default=false()),  # 预计 (working-days.md)
    Column("due_working_days", Integer, nullable=True),  # the count due_at was counted with (domain/time_limits.py)
    Column("number", String(16), nullable=True),
    Column("urgency", String(8), nullable=False, server_default="NORMAL"),
    Column("confidential", Boolean, nullable=False, server_default=false()),
    Column("caller_name", LargeBinary, nullable=True),
    Column("caller_phone", LargeBinary, nullable=True),
    Column("caller_id_number", LargeBinary, nullable=True),
    Column("caller_email", LargeBinary, nullable=True),
    Column("caller_key", String(64), nullable=True, index=True),
    Column("follow_code_hash", String(64), nullable=False, server_default=""),
    Column("clock_started_at", DateTime(timezone=True), nullable=True),
    Column("lead_unit", String(40), nullable=False, server_default="", index=True),
    Column("assisting_units", String(400), nullable=False, server_default=""),
    Column("dispatched_at", DateTime(timezone=True), nullable=True),
    Column("sign_due_at", DateTime(timezone=True), nullable=True),
    Column("sign_due_at_provisional", Boolean, nullable=False, server_default=false()),
    Column("sign_due_working_days", Integer, nullable=True),
    Column("answer", Text, nullable=False, server_default=""),
    Column("direct_answer", Boolean, nullable=False, server_default=false()),
    Column("satisfaction", String(24), nullable=True),
    Column("resolved", Boolean, nullable=True),
    Column("reopen_count", Integer, nullable=False, server_default="0"),
    Column("urge_count", Integer, nullable=False, server_default="0"),
    Column("escalated", Boolean, nullable=False, server_default=false()),
    Column("requested_due_at", DateTime(timezone=True), nullable=True),
    Column("merged_into", String(36), nullable=False, server_default=""),
    Column("duplicate_of", String(36), nullable=False, server_default=""),
    Column("duplicate_score", Float, nullable=False, server_default="0"),
    Column("clock_notices", String(64), nullable=False, server_default=""),
    Column("closed_at", DateTime(timezone=True), nullable=True),
    Column("updated_at", DateTime(timezone=True), nullable=True),
    # Handed down to a child stack: the child's latest reported state (domain/cross_level.py).
    Column("below_state", String(16), nullable=True),
    # Handed down from the parent stack: null for tickets taken here, so the pair is unique per origin ticket.
    Column("origin_division", String(9), nullable=True),
    Column("origin_ticket_id", String(36), nullable=True),
    Column("origin_ticket_number", String(16), nullable=True),
    # The disclosure request the ticket came from (redirected, unique: one ticket per request) or became.
    Column("disclosure_request_id", String(36), nullable=True),
    Column("disclosure_request_number", String(32), nullable=True),
    # Where the matter is (WGS84) and a public media URL, as the caller gave them (Open311).
    Column("latitude", Float, nullable=True),
    Column("longitude", Float, nullable=True),
    Column("media_url", String(500), nullable=False, server_default=""),
    UniqueConstraint("number", name="uq_tickets_number"),
    UniqueConstraint("origin_division", "origin_ticket_id", name="uq_tickets_origin"),
    UniqueConstraint("disclosure_request_id", name="uq_tickets_disclosure_request"),
    # The duplicate check at intake: recent tickets about the same place, or from the same caller.
    Index("ix_tickets_place_recent", "place_division", "accepted_at"),
    Index("ix_tickets_caller_recent", "caller_key", "accepted_at"),
)

# Disclosure catalogue entries linked to a ticket (知识库), as they read when linked.
ticket_documents = Table(
    "ticket_documents",
    metadata,
    Column("ticket_id", String(36), ForeignKey("tickets.id"), primary_key=True),
    Column("entry_id", String(36), primary_key=True),
    Column("title", Text, nullable=False),
    Column("document_number", String(100), nullable=False),
    Column("validity", String(16), nullable=False),
    Column("linked_at", DateTime(timezone=True), nullable=False),
    Column("linked_by", String(100), nullable=False),
)

ticket_history = Table(
    "ticket_history",
    metadata,
    Column("id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True),
    Column("ticket_id", String(36), ForeignKey("tickets.id"), nullable=False, index=True),
    Column("position", Integer, nullable=False),
    Column("action", String(32), nullable=False),
    Column("from_state", String(16), nullable=False),
    Column("to_state", String(16), nullable=False),
    Column("actor", String(32), nullable=False),
    Column("actor_id", String(100), nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("note", Text, nullable=False),
)

outbox = outbox_table(metadata)
inbox = inbox_table(metadata)
calendar_schedules = calendar_schedules_table(metadata)
audit_log, audit_head = audit_tables(metadata)
