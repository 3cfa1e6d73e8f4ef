"""Major decisions (重大行政决策): the draft put to public comment, the comments, and each step to the decision
and the published feedback. Reading and commenting are public."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from fastapi import APIRouter, Request
from pydantic import BaseModel, Field
from sunshine.disclosure.v1 import disclosure_pb2 as pb
from sunshine_kit.rpc.client import call
from sunshine_kit.timestamps import from_timestamp

from gateway.entrypoints.auth import StaffCaller
from gateway.entrypoints.routers import provisional
from gateway.entrypoints.routers.disclosure.stub import stub

router = APIRouter()

DecisionActionCode = Literal[
    "schedule_hearing",
    "extend_notice",
    "record_risk_assessment",
    "record_expert_review",
    "close",
    "decide",
    "publish_feedback",
]


class ConsultationBody(BaseModel):
    title: str
    draft_text: str = Field(description="The draft put to public comment (征求意见稿)")
    lead_unit: str = Field(description="牵头单位")
    responsible_units: list[str] = Field(default_factory=list, description="责任单位")
    opens_on: str = Field(description="First day of the notice (YYYY-MM-DD), not in the past")
    notice_ends_on: str = Field(description="Last day of the notice: at least the 10th working day after opens_on")


AdoptionCode = Literal["adopted", "partly_adopted", "not_adopted"]


class AdoptionBody(BaseModel):
    comment_id: str
    summary: str = Field(description="意见摘要: the office's summary, published instead of the comment")
    adoption: AdoptionCode = Field(description="采纳, 部分采纳 or 不予采纳")
    reason: str = Field("", description="Why; required for not_adopted")


class AdoptionView(AdoptionBody):
    number: int = Field(description="1 for the first comment received")


class DecisionView(ConsultationBody):
    notice_provisional: bool = Field(
        description="True when the check of at least 10 working days of notice counted through a year whose "
        "holiday arrangement is not published yet (预计)"
    )
    provisional_note: str = provisional.note_field()
    notice_earliest_end: str = Field(description="The 10th working day after opens_on: the notice may end no earlier")
    notice_short: bool = Field(
        description="Counted again on the official calendar, the notice is shorter than 10 working days: extend it "
        "(extend_notice) to notice_earliest_end or later before closing"
    )
    hearing_by: str = Field(description="The scheduled hearing's window's last day (5 working days after the notice)")
    hearing_by_provisional: bool = provisional.flag()
    hearing_outside_window: bool = Field(description="The scheduled hearing is after hearing_by now: schedule it again")
    calendar_warnings: list[str] = Field(description="What the officer must do after a recount, in Chinese")
    recomputations: list[provisional.RecomputedDateView] = Field(
        description="notice_earliest_end and hearing_by counted again when the calendar changed"
    )
    id: str
    state: Literal["consulting", "closed", "decided"]
    comment_count: int
    closed_on: str
    hearing_on: str = Field(description="听证, within the 5 working days after the notice ends")
    risk_assessment: Literal["", "passed", "failed"] = Field(description="风险评估; empty when none is on record")
    expert_reviewed_on: str = Field(description="专家论证")
    decided_on: str
    feedback_published_on: str = Field(description="意见采纳情况 published on")
    adopted_count: int
    partly_adopted_count: int
    not_adopted_count: int
    feedback_explanation: str = Field(description="意见采纳情况: the overall explanation")
    adoptions: list[AdoptionView] = Field(description="One per comment, in the order received; no commenter data")


class CommentBody(BaseModel):
    text: str
    commenter_name: str = Field("", description="Optional; never shown to the public")
    commenter_contact: str = Field("", description="Optional phone or e-mail; never shown to the public")


class CommentReceived(BaseModel):
    comment_id: str


class CommentView(CommentBody):
    id: str
    submitted_at: datetime


class DecisionActionBody(BaseModel):
    action: DecisionActionCode
    on: str = Field("", description="The day it happened (YYYY-MM-DD); empty means today")
    hearing_on: str = Field("", description="schedule_hearing: the day of the hearing")
    notice_ends_on: str = Field("", description="extend_notice: the notice's new last day (延长公示期)")
    risk_passed: bool = Field(False, description="record_risk_assessment: whether it passed")
    feedback_explanation: str = Field("", description="publish_feedback: the overall explanation")
    adoptions: list[AdoptionBody] = Field(default_factory=list, description="publish_feedback: one per comment")


@router.post("/decisions", status_code=201, summary="Open a draft decision for public comment (征求意见)")
async def open_consultation(body: ConsultationBody, caller: StaffCaller, request: Request) -> DecisionView:
    message = pb.OpenConsultationRequest(consultation=pb.Consultation(**body.model_dump()))
    reply = await call(stub(request).OpenConsultation, message, caller.metadata)
    return _decision_view(reply.decision)


@router.get("/decisions", summary="Decisions whose consultation has opened, by state (public)")
async def list_decisions(
    request: Request, state: Literal["consulting", "closed", "decided"] = "consulting"
) -> list[DecisionView]:
    reply = await call(stub(request).ListDecisions, pb.ListDecisionsRequest(state=state))
    return [_decision_view(d) for d in reply.decisions]


@router.get("/decisions/{decision_id}", summary="One decision whose consultation has opened (public)")
async def get_decision(decision_id: str, request: Request) -> DecisionView:
    reply = await call(stub(request).GetDecision, pb.GetDecisionRequest(id=decision_id))
    return _decision_view(reply.decision)


@router.post("/decisions/{decision_id}/comments", status_code=201, summary="Comment on a draft (public)")
async def submit_comment(decision_id: str, body: CommentBody, request: Request) -> CommentReceived:
    message = pb.SubmitCommentRequest(decision_id=decision_id, **body.model_dump())
    reply = await call(stub(request).SubmitComment, message)
    return CommentReceived(comment_id=reply.comment_id)


@router.get("/decisions/{decision_id}/comments", summary="The comments, with name and contact when given")
async def list_comments(decision_id: str, caller: StaffCaller, request: Request) -> list[CommentView]:
    reply = await call(stub(request).ListComments, pb.ListCommentsRequest(decision_id=decision_id), caller.metadata)
    return [
        CommentView(
            id=c.id,
            text=c.text,
            commenter_name=c.commenter_name,
            commenter_contact=c.commenter_contact,
            submitted_at=from_timestamp(c.submitted_at),
        )
        for c in reply.comments
    ]


@router.post("/decisions/{decision_id}/actions", summary="One step of a decision")
async def act_on_decision(
    decision_id: str, body: DecisionActionBody, caller: StaffCaller, request: Request
) -> DecisionView:
    message = pb.ActOnDecisionRequest(
        id=decision_id,
        **body.model_dump(exclude={"adoptions"}),
        adoptions=[pb.CommentAdoption(**a.model_dump()) for a in body.adoptions],
    )
    reply = await call(stub(request).ActOnDecision, message, caller.metadata)
    return _decision_view(reply.decision)


def _calendar_warnings(decision: pb.MajorDecision) -> list[str]:
    warnings = []
    if decision.notice_short:
        warnings.append(
            f"按国务院办公厅公布的放假安排重算，公示期不足10个工作日：请延长公示期至{decision.notice_earliest_end}或以后，"
            "方可结束征求意见"
        )
    if decision.hearing_outside_window:
        warnings.append(f"按重算后的听证期限（截至{decision.hearing_by}），已安排的听证日期超出期限：请重新安排听证")
    return warnings


def _decision_view(decision: pb.MajorDecision) -> DecisionView:
    c = decision.consultation
    return DecisionView(
        title=c.title,
        draft_text=c.draft_text,
        lead_unit=c.lead_unit,
        responsible_units=list(c.responsible_units),
        opens_on=c.opens_on,
        notice_ends_on=c.notice_ends_on,
        notice_provisional=decision.notice_provisional,
        provisional_note=provisional.note(decision.notice_provisional, decision.hearing_by_provisional),
        notice_earliest_end=decision.notice_earliest_end,
        notice_short=decision.notice_short,
        hearing_by=decision.hearing_by,
        hearing_by_provisional=decision.hearing_by_provisional,
        hearing_outside_window=decision.hearing_outside_window,
        calendar_warnings=_calendar_warnings(decision),
        recomputations=[provisional.recomputed_date_view(r) for r in decision.recomputations],
        id=decision.id,
        state=decision.state,  # type: ignore[arg-type]
        comment_count=decision.comment_count,
        closed_on=decision.closed_on,
        hearing_on=decision.hearing_on,
        risk_assessment=decision.risk_assessment,  # type: ignore[arg-type]
        expert_reviewed_on=decision.expert_reviewed_on,
        decided_on=decision.decided_on,
        feedback_published_on=decision.feedback_published_on,
        adopted_count=decision.adopted_count,
        partly_adopted_count=decision.partly_adopted_count,
        not_adopted_count=decision.not_adopted_count,
        feedback_explanation=decision.feedback_explanation,
        adoptions=[
            AdoptionView(
                comment_id=a.comment_id, number=a.number, summary=a.summary, adoption=a.adoption, reason=a.reason
            )  # type: ignore[arg-type]
            for a in decision.adoptions
        ],
    )
