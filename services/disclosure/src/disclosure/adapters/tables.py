"""The disclosure database: its tables, and the kit's outbox and inbox in the same schema."""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    Index,
    Integer,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
    false,
)
from sunshine_kit.audit import audit_tables
from sunshine_kit.calendar_ledger import calendar_schedules_table
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
    Column("due_on_provisional", Boolean, nullable=False, server_default=false()),  # 预计 (working-days.md)
    Column("published_at", DateTime(timezone=True)),  # of the current version; none for a draft
    Column("body", Text, nullable=False),
    Column("force_level", String(20), nullable=False, server_default="其他"),
    Column("key_area", String(50), nullable=False, server_default=""),
    Column("validity", String(10), nullable=False, server_default="现行有效"),
    # The current version's content, the whole of it as JSON (catalogue_content.EntryContent); the columns above
    # repeat what search and the report filter on.
    Column("content", Text, nullable=False, server_default="{}"),
    Column("state", String(10), nullable=False, server_default="published"),
    Column("version", Integer, nullable=False, server_default="1"),
    Column("repealed_on", Date),
    Column("interprets", String(36), index=True),
    Column("lock_version", Integer, nullable=False, server_default="0"),
    Column("withdrawn_on", Date),  # a withdrawn (撤回) draft: kept, never public
    Column("withdrawal_reason", Text, nullable=False, server_default=""),
)

# Every published version of an entry (the history), oldest first.
catalogue_versions = Table(
    "catalogue_versions",
    metadata,
    Column("entry_id", String(36), primary_key=True),
    Column("version", Integer, primary_key=True, autoincrement=False),
    Column("content", Text, nullable=False),
    Column("formed_on", Date, nullable=False),
    Column("due_on", Date, nullable=False),
    Column("published_at", DateTime(timezone=True), nullable=False),
    Column("due_on_provisional", Boolean, nullable=False, server_default=false()),  # 预计 (working-days.md)
    Index("ix_catalogue_versions_provisional", "due_on_provisional"),  # the few counted again at every check
)

# The search index (domain/search.py): one row per (bigram token, entry) with its integer weight.
search_postings = Table(
    "search_postings",
    metadata,
    Column("token", String(8), nullable=False),
    Column("entry_id", String(36), nullable=False),
    Column("weight", Integer, nullable=False),
    # The weight is read with the key, without the table row: in the primary key's b-tree on SQLite (no rowid), in
    # the primary key index on PostgreSQL (INCLUDE).
    PrimaryKeyConstraint("token", "entry_id", postgresql_include=["weight"]),
    Index("ix_search_postings_entry", "entry_id"),
    sqlite_with_rowid=False,
)

# Document frequencies of the search index: how many entries hold each token, moved with the postings in the same
# transaction. The token "" (a posting of weight 0 on every public entry) counts the public entries.
search_tokens = Table(
    "search_tokens",
    metadata,
    Column("token", String(8), primary_key=True),
    Column("entries", Integer, nullable=False),
)

# 依申请公开. Applicant name, phone, ID number and address are personal data: they never leave this database in
# an event.
disclosure_requests = Table(
    "disclosure_requests",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("number", String(40), nullable=False, unique=True),
    Column("code_digest", String(64), nullable=False),
    Column("applicant_type", String(40), nullable=False),
    Column("applicant_name", String(100), nullable=False),
    Column("applicant_phone", String(30), nullable=False),
    Column("applicant_id_number", String(30), nullable=False),
    Column("applicant_address", String(200), nullable=False),
    Column("channel", String(20), nullable=False),
    Column("description", Text, nullable=False),
    Column("state", String(30), nullable=False),
    Column("submitted_at", DateTime(timezone=True), nullable=False),
    Column("received_on", Date),
    Column("clock_started_on", Date),
    Column("due_on", Date),
    Column("due_on_provisional", Boolean, nullable=False, server_default=false()),  # 预计 (working-days.md)
    Column("correction_asked_on", Date),
    Column("correction_period_days", Integer, nullable=False, server_default="0"),  # 0: settled before 0010 kept it
    Column("correction_due_on", Date),
    Column("correction_due_provisional", Boolean, nullable=False, server_default=false()),
    Column("corrected_on", Date),
    Column("extension_days", Integer, nullable=False),
    Column("extension_approver", String(100), nullable=False),
    Column("extension_reason", Text, nullable=False),
    Column("consultation_started_on", Date),
    Column("third_party_due_on", Date),
    Column("third_party_due_provisional", Boolean, nullable=False, server_default=false()),
    Column("consultation_lapsed_on", Date),
    Column("paused_working_days", Integer, nullable=False),
    # JSON list of the clock's pauses, [{"started_on", "ended_on", "working_days", "provisional"}]
    Column("pauses", Text, nullable=False, server_default="[]"),
    # JSON list of the provisional dates counted again (history): [{"recomputed_on", "name", "old", "new", …}]
    Column("recomputations", Text, nullable=False, server_default="[]"),
    Column("answered_on", Date),
    Column("outcome", String(4)),
    Column("outcome_reason", Text, nullable=False),
    Column("overdue", Boolean, nullable=False),
    Column("last_acted_on", Date),
    Column("version", Integer, nullable=False),
    # The fee notice (收费通知, Art. 42), when one was issued (fee_basis null otherwise).
    Column("fee_basis", String(20)),
    Column("fee_quantity", Integer),
    Column("fee_earlier_items", Integer),
    Column("fee_amount_yuan", Integer),
    Column("fee_notified_on", Date),
    Column("fee_pay_by", Date),
    Column("fee_pay_by_provisional", Boolean, nullable=False, server_default=false()),
    Column("fee_paid_on", Date),
    Column("fee_lapsed", Boolean, nullable=False, server_default=false()),
    # The submitter's idempotency key (null without one; unique per stack) and the SHA-256 fingerprint of the
    # submission it stands for (domain/submission_keys.py).
    Column("idempotency_key", String(240)),
    Column("idempotency_fingerprint", String(64)),
    Index("uq_disclosure_requests_idempotency_key", "idempotency_key", unique=True),
    Index("ix_disclosure_requests_state_due", "state", "due_on"),
    Index("ix_disclosure_requests_received_answered", "received_on", "answered_on"),
)

# Annual-report figures the unit enters itself (table 二 licensing etc., table 四), as JSON per year.
report_figures = Table(
    "report_figures",
    metadata,
    Column("year", Integer, primary_key=True, autoincrement=False),
    Column("figures", Text, nullable=False),
)

# Requests of the stacks below, projected from the roll-up's request events (no personal data: they carry none),
# for the consolidated table 三.
requests_below = Table(
    "requests_below",
    metadata,
    Column("request_id", String(36), primary_key=True),
    Column("division", String(12), nullable=False),
    Column("applicant_type", String(40), nullable=False),
    Column("received_on", Date, nullable=False),
    Column("answered_on", Date),
    Column("outcome", String(4)),
    Index("ix_requests_below_received_answered", "received_on", "answered_on"),
)

# Catalogue entries of the stacks below, projected from the roll-up's catalogue events, for the consolidated
# table 二: formed_on is the first version's (from the publication), force_level the latest seen, ranked by
# force_version (the version that set it; a repeal is final).
catalogue_below = Table(
    "catalogue_below",
    metadata,
    Column("entry_id", String(36), primary_key=True),
    Column("division", String(12), nullable=False),
    Column("force_level", String(20), nullable=False),
    Column("force_version", Integer, nullable=False),
    Column("formed_on", Date),
    Column("repealed_on", Date),
)

# The latest figures each division below entered for a year (ReportFiguresRecorded), JSON as in report_figures.
figures_below = Table(
    "figures_below",
    metadata,
    Column("division", String(12), primary_key=True),
    Column("year", Integer, primary_key=True, autoincrement=False),
    Column("figures", Text, nullable=False),
    Column("recorded_at", DateTime(timezone=True), nullable=False),
)

# 重大行政决策: the consultation (draft text, units, notice), its steps and the adoption of comments.
major_decisions = Table(
    "major_decisions",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("title", String(200), nullable=False),
    Column("draft_text", Text, nullable=False),
    Column("lead_unit", String(100), nullable=False),
    Column("responsible_units", Text, nullable=False),  # JSON list
    Column("opens_on", Date, nullable=False),
    Column("notice_ends_on", Date, nullable=False),
    Column("notice_provisional", Boolean, nullable=False, server_default=false()),  # 预计 (working-days.md)
    Column("notice_earliest_end", Date),  # the 10th working day after opens_on
    Column("hearing_by", Date),  # the scheduled hearing's window's last day
    Column("hearing_by_provisional", Boolean, nullable=False, server_default=false()),
    Column("recomputations", Text, nullable=False, server_default="[]"),  # JSON: dates counted again
    Column("state", String(20), nullable=False),
    Column("comment_count", Integer, nullable=False),
    Column("closed_on", Date),
    Column("hearing_on", Date),
    Column("risk_passed", Boolean),  # null: no assessment on record
    Column("expert_reviewed_on", Date),
    Column("decided_on", Date),
    Column("feedback_published_on", Date),
    Column("adopted_count", Integer, nullable=False),
    Column("feedback_explanation", Text, nullable=False, server_default=""),  # 意见采纳情况, overall
    Index("ix_major_decisions_state_opens", "state", "opens_on"),
)

# Public comments on a decision's draft. Text, name and contact are personal data: never in an event.
decision_comments = Table(
    "decision_comments",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("decision_id", String(36), nullable=False, index=True),
    Column("text", Text, nullable=False),
    Column("commenter_name", String(50), nullable=False),
    Column("commenter_contact", String(100), nullable=False),
    Column("submitted_at", DateTime(timezone=True), nullable=False),
    # Its adoption, once the 意见采纳情况 is published: the office's summary (public), the verdict and the reason.
    Column("adoption", String(20), nullable=False, server_default=""),
    Column("adoption_summary", Text, nullable=False, server_default=""),
    Column("adoption_reason", Text, nullable=False, server_default=""),
)

outbox = outbox_table(metadata)
inbox = inbox_table(metadata)
calendar_schedules = calendar_schedules_table(metadata)
audit_log, audit_head = audit_tables(metadata)
