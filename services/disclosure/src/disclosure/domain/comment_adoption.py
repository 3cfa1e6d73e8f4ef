"""意见采纳情况: how a major decision's public comments were taken into account, as published.

An overall explanation, and for every comment received exactly one verdict — adopted (采纳), partly adopted (部分采纳)
or not adopted (不予采纳, with the reason) — next to the office's summary of the comment. The summary is what the
public reads: the comment's own text, and the commenter's name and contact, stay with the office.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from sunshine_kit.errors import FieldViolation, ValidationFailed

MAX_EXPLANATION = 5000
MAX_SUMMARY = 500
MAX_REASON = 2000


class Adoption(StrEnum):
    ADOPTED = "adopted"  # 采纳
    PARTLY_ADOPTED = "partly_adopted"  # 部分采纳
    NOT_ADOPTED = "not_adopted"  # 不予采纳


@dataclass(frozen=True)
class AdoptionDraft:
    """What the office writes for one comment."""

    comment_id: str
    summary: str
    adoption: str
    reason: str = ""


@dataclass(frozen=True)
class CommentAdoption:
    comment_id: str
    number: int  # 1 for the first comment received
    summary: str
    adoption: Adoption
    reason: str


@dataclass(frozen=True)
class Feedback:
    explanation: str
    adoptions: tuple[CommentAdoption, ...]  # in the order the comments were received

    def count(self, adoption: Adoption) -> int:
        return sum(1 for a in self.adoptions if a.adoption is adoption)

    @classmethod
    def checked(cls, explanation: str, drafts: Sequence[AdoptionDraft], comment_ids: Sequence[str]) -> Feedback:
        """Every comment received (`comment_ids`, in order) gets exactly one verdict."""
        violations = []
        if not explanation.strip():
            violations.append(FieldViolation("feedback_explanation", "explain how the comments were considered"))
        if len(explanation) > MAX_EXPLANATION:
            violations.append(FieldViolation("feedback_explanation", f"at most {MAX_EXPLANATION} characters"))
        known, seen = set(comment_ids), set()
        for i, draft in enumerate(drafts):
            violations += _draft_violations(f"adoptions[{i}]", draft, known, seen)
            seen.add(draft.comment_id)
        missing = len(known - seen)
        if missing:
            violations.append(FieldViolation("adoptions", f"every comment needs its adoption: {missing} missing"))
        if violations:
            raise ValidationFailed(*violations)
        by_id = {draft.comment_id: draft for draft in drafts}
        adoptions = tuple(
            CommentAdoption(
                comment_id,
                number,
                by_id[comment_id].summary.strip(),
                Adoption(by_id[comment_id].adoption),
                by_id[comment_id].reason.strip(),
            )
            for number, comment_id in enumerate(comment_ids, start=1)
        )
        return cls(explanation.strip(), adoptions)


def _draft_violations(at: str, draft: AdoptionDraft, known: set[str], seen: set[str]) -> list[FieldViolation]:
    checks = [
        (draft.comment_id not in known, "comment_id", "not a comment on this decision"),
        (draft.comment_id in seen, "comment_id", "given twice"),
        (not draft.summary.strip(), "summary", "summarise the comment (意见摘要; published instead of it)"),
        (len(draft.summary) > MAX_SUMMARY, "summary", f"at most {MAX_SUMMARY} characters"),
        (draft.adoption not in Adoption.__members__.values(), "adoption", "adopted, partly_adopted or not_adopted"),
        (
            draft.adoption == Adoption.NOT_ADOPTED and not draft.reason.strip(),
            "reason",
            "say why the comment was not adopted",
        ),
        (len(draft.reason) > MAX_REASON, "reason", f"at most {MAX_REASON} characters"),
    ]
    return [FieldViolation(f"{at}.{name}", text) for failed, name, text in checks if failed]
