"""Public comments (公众意见) on a major decision's draft.

Anyone may comment without signing in; name and contact are optional. The comment is personal data: it stays in
this service's database, is shown to the disclosure officer only, and no event carries it (events count comments).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sunshine_kit.errors import FieldViolation, ValidationFailed
from sunshine_kit.timestamps import china_date

from disclosure.domain.major_decision import MajorDecision

MAX_TEXT = 5000
MAX_NAME = 50
MAX_CONTACT = 100


@dataclass(frozen=True)
class CommentDraft:
    text: str
    commenter_name: str = ""
    commenter_contact: str = ""


@dataclass(frozen=True)
class DecisionComment:
    id: str
    decision_id: str
    text: str
    commenter_name: str
    commenter_contact: str
    submitted_at: datetime

    @classmethod
    def submit(cls, decision: MajorDecision, draft: CommentDraft, now: datetime) -> DecisionComment:
        """Counts on the decision while its notice runs (IllegalTransition otherwise)."""
        checks = [
            (not draft.text.strip(), "text", "must not be empty"),
            (len(draft.text) > MAX_TEXT, "text", f"at most {MAX_TEXT} characters"),
            (len(draft.commenter_name) > MAX_NAME, "commenter_name", f"at most {MAX_NAME} characters"),
            (len(draft.commenter_contact) > MAX_CONTACT, "commenter_contact", f"at most {MAX_CONTACT} characters"),
        ]
        violations = [FieldViolation(name, text) for failed, name, text in checks if failed]
        if violations:
            raise ValidationFailed(*violations)
        decision.comment(china_date(now))
        return cls(
            id=str(uuid.uuid4()),
            decision_id=decision.id,
            text=draft.text.strip(),
            commenter_name=draft.commenter_name.strip(),
            commenter_contact=draft.commenter_contact.strip(),
            submitted_at=now,
        )
