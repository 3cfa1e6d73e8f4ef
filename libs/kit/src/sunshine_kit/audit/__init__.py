"""The audit trail (审计日志): each service records, in its own database and in the same transaction as the
change, who changed what and who read unmasked personal data; entries are hash-chained and append-only
(docs/auth.md, "Audit trail")."""

from sunshine_kit.audit.call import Call, current_call, in_call
from sunshine_kit.audit.trail import AuditEntry, AuditQuery, AuditTrail, Verification, audit_tables, record_of

__all__ = [
    "AuditEntry",
    "AuditQuery",
    "AuditTrail",
    "Call",
    "Verification",
    "audit_tables",
    "current_call",
    "in_call",
    "record_of",
]
