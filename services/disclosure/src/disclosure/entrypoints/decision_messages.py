"""Protobuf messages <-> major decisions and their comments."""

from __future__ import annotations

from datetime import date

from sunshine.disclosure.v1 import disclosure_pb2 as pb
from sunshine_kit.errors import ValidationFailed
from sunshine_kit.timestamps import to_timestamp

from disclosure.domain.comment_adoption import Adoption, AdoptionDraft
from disclosure.domain.decision_comments import CommentDraft, DecisionComment
from disclosure.domain.major_decision import Consultation, MajorDecision
from disclosure.entrypoints.messages import optional_date, recomputed_date
from disclosure.service.decisions import DecisionAction

_RISK = {None: "", True: "passed", False: "failed"}


def consultation(message: pb.Consultation) -> Consultation:
    return Consultation(
        title=message.title,
        draft_text=message.draft_text,
        lead_unit=message.lead_unit,
        responsible_units=tuple(unit.strip() for unit in message.responsible_units if unit.strip()),
        opens_on=_required_date(message.opens_on, "opens_on"),
        notice_ends_on=_required_date(message.notice_ends_on, "notice_ends_on"),
    )


def decision_message(decision: MajorDecision) -> pb.MajorDecision:
    """The public record: the adoption of comments carries the office's summaries, never a comment or commenter."""
    c = decision.consultation
    feedback = decision.feedback
    return pb.MajorDecision(
        id=decision.id,
        consultation=pb.Consultation(
            title=c.title,
            draft_text=c.draft_text,
            lead_unit=c.lead_unit,
            responsible_units=list(c.responsible_units),
            opens_on=c.opens_on.isoformat(),
            notice_ends_on=c.notice_ends_on.isoformat(),
        ),
        state=str(decision.state),
        comment_count=decision.comment_count,
        closed_on=_iso(decision.closed_on),
        hearing_on=_iso(decision.hearing_on),
        risk_assessment=_RISK[decision.risk_passed],
        expert_reviewed_on=_iso(decision.expert_reviewed_on),
        decided_on=_iso(decision.decided_on),
        feedback_published_on=_iso(decision.feedback_published_on),
        adopted_count=decision.adopted_count,
        feedback_explanation=feedback.explanation if feedback else "",
        adoptions=[
            pb.CommentAdoption(
                comment_id=a.comment_id, number=a.number, summary=a.summary, adoption=str(a.adoption), reason=a.reason
            )
            for a in (feedback.adoptions if feedback else ())
        ],
        partly_adopted_count=feedback.count(Adoption.PARTLY_ADOPTED) if feedback else 0,
        not_adopted_count=feedback.count(Adoption.NOT_ADOPTED) if feedback else 0,
        notice_provisional=decision.notice_provisional,
        notice_earliest_end=_iso(decision.notice_earliest_end),
        notice_short=decision.notice_short,
        hearing_by=_iso(decision.hearing_by),
        hearing_by_provisional=decision.hearing_by_provisional,
        hearing_outside_window=decision.hearing_outside_window,
        recomputations=[recomputed_date(change) for change in decision.recomputations],
    )


def comment_draft(message: pb.SubmitCommentRequest) -> CommentDraft:
    return CommentDraft(message.text, message.commenter_name, message.commenter_contact)


def comment_message(comment: DecisionComment) -> pb.DecisionComment:
    return pb.DecisionComment(
        id=comment.id,
        decision_id=comment.decision_id,
        text=comment.text,
        commenter_name=comment.commenter_name,
        commenter_contact=comment.commenter_contact,
        submitted_at=to_timestamp(comment.submitted_at),
    )


def decision_action(message: pb.ActOnDecisionRequest) -> DecisionAction:
    return DecisionAction(
        name=message.action,
        on=optional_date(message.on, "on"),
        hearing_on=optional_date(message.hearing_on, "hearing_on"),
        notice_ends_on=optional_date(message.notice_ends_on, "notice_ends_on"),
        risk_passed=message.risk_passed,
        feedback_explanation=message.feedback_explanation,
        adoptions=tuple(AdoptionDraft(a.comment_id, a.summary, a.adoption, a.reason) for a in message.adoptions),
    )


def _required_date(text: str, field: str) -> date:
    day = optional_date(text, field)
    if day is None:
        raise ValidationFailed.field(field, "must be a date YYYY-MM-DD")
    return day


def _iso(day: date | None) -> str:
    return day.isoformat() if day else ""
