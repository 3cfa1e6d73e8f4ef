"""Disclosure (政务公开). Public without login: reading the catalogue, submitting a request and following it
with its number and secret code, reading major decisions and commenting on their drafts. Everything else is for
staff, checked again by the service."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from fastapi import APIRouter, Request, Response
from pydantic import BaseModel, Field
from sunshine.disclosure.v1 import disclosure_pb2 as pb
from sunshine_kit.rpc.client import call
from sunshine_kit.timestamps import from_timestamp

from gateway.entrypoints.auth import StaffCaller

router = APIRouter(prefix="/api/v1/disclosure", tags=["disclosure"])

ApplicantTypeCode = Literal[
    "natural_person",
    "commercial_enterprise",
    "research_institution",
    "social_welfare_organisation",
    "legal_service_institution",
    "other_organisation",
]
ChannelCode = Literal["in_person", "registered_post", "ordinary_mail", "online", "fax"]
ActionCode = Literal[
    "confirm",
    "ask_correction",
    "corrected",
    "extend",
    "pause",
    "resume",
    "answer",
    "redirect_complaint",
    "notify_fee",
    "fee_paid",
]


def _stub(request: Request):  # type: ignore[no-untyped-def]
    return request.app.state.services.disclosure


# --- catalogue (主动公开) -------------------------------------------------------------------------------------


ChannelName = Literal["website", "notice_board", "press_conference", "weibo", "app", "gazette"]


class AttachmentModel(BaseModel):
    name: str
    reference: str = Field(description="A URL or a key of the unit's file store (Sunshine stores no files)")


class EntryContent(BaseModel):
    title: str
    issuing_organ: str = Field(description="发布机构")
    document_number: str = Field("", description="发文字号, e.g. 成办发〔2015〕28号")
    formed_on: str = Field(description="Date the information was formed or changed (YYYY-MM-DD)")
    body: str
    force_level: Literal["规章", "行政规范性文件", "其他"] = Field("其他", description="效力级别")
    key_area: str = Field("", description="重点领域, e.g. 财政预决算")
    summary: str = Field("", description="内容概述")
    category: str = Field("", description="法规类别")
    channels: list[ChannelName] = Field(default_factory=lambda: ["website"], description="公开方式")
    in_force_on: str = Field("", description="生效日期 (YYYY-MM-DD), empty when not stated")
    attachments: list[AttachmentModel] = Field(default_factory=list)


class EntryBody(EntryContent):
    interprets: str = Field("", description="For a policy interpretation (政策解读): the id of the policy it explains")


class EntryView(EntryContent):
    id: str
    index_number: str = Field(description="索引号")
    state: Literal["draft", "published", "repealed", "withdrawn"]
    version: int = Field(description="0 for a draft; each revision adds one")
    due_on: str = Field(description="formed_on + 20 working days (Art. 26)")
    published_at: datetime | None = Field(description="Publication of the current version")
    late: bool
    validity: str = Field(description="时效性: 现行有效 or 已废止 (empty for a draft)")
    repealed_on: str
    interprets: str
    withdrawn_on: str = Field(description="A withdrawn (撤回) draft: when; never published")
    withdrawal_reason: str


class VersionView(EntryContent):
    version: int
    due_on: str
    published_at: datetime
    late: bool
    validity: str = Field(description="现行有效, 已修改 (revised later) or 已废止")


class Withdrawal(BaseModel):
    reason: str = Field(description="Why the draft will not be published")


class Repeal(BaseModel):
    repealed_on: str = Field("", description="YYYY-MM-DD; empty means today")


class SearchHit(BaseModel):
    entry_id: str
    score: int = Field(description="Relevance (higher first)")
    title: str
    document_number: str
    issuing_organ: str
    key_area: str
    validity: str
    formed_on: str


@router.get("/catalogue", summary="Search the catalogue (public): title, document number and body")
async def search_catalogue(
    request: Request,
    q: str,
    key_area: str = "",
    issuing_organ: str = "",
    validity: str = "",
    formed_from: str = "",
    formed_to: str = "",
    limit: int = 20,
    offset: int = 0,
) -> list[SearchHit]:
    message = pb.SearchCatalogueRequest(
        query=q,
        key_area=key_area,
        issuing_organ=issuing_organ,
        validity=validity,
        formed_from=formed_from,
        formed_to=formed_to,
        limit=limit,
        offset=offset,
    )
    reply = await call(_stub(request).SearchCatalogue, message)
    return [
        SearchHit(
            entry_id=h.entry_id,
            score=h.score,
            title=h.title,
            document_number=h.document_number,
            issuing_organ=h.issuing_organ,
            key_area=h.key_area,
            validity=h.validity,
            formed_on=h.formed_on,
        )
        for h in reply.hits
    ]


@router.post("/catalogue", status_code=201, summary="Publish (主动公开) a catalogue entry at once")
async def publish_entry(body: EntryBody, caller: StaffCaller, request: Request) -> EntryView:
    message = pb.PublishCatalogueEntryRequest(content=_content(body), interprets=body.interprets)
    reply = await call(_stub(request).PublishCatalogueEntry, message, caller.metadata)
    return _entry_view(reply.entry)


@router.post("/catalogue/drafts", status_code=201, summary="Keep an entry as a draft (not public)")
async def create_draft(body: EntryBody, caller: StaffCaller, request: Request) -> EntryView:
    message = pb.CreateCatalogueDraftRequest(content=_content(body), interprets=body.interprets)
    reply = await call(_stub(request).CreateCatalogueDraft, message, caller.metadata)
    return _entry_view(reply.entry)


@router.get("/catalogue/drafts", summary="The drafts (or the withdrawn ones), newest formed first")
async def list_drafts(caller: StaffCaller, request: Request, withdrawn: bool = False) -> list[EntryView]:
    message = pb.ListCatalogueDraftsRequest(withdrawn=withdrawn)
    reply = await call(_stub(request).ListCatalogueDrafts, message, caller.metadata)
    return [_entry_view(e) for e in reply.entries]


@router.put("/catalogue/drafts/{entry_id}", summary="Replace a draft's content (drafts only; publish revisions)")
async def edit_draft(entry_id: str, body: EntryContent, caller: StaffCaller, request: Request) -> EntryView:
    message = pb.EditCatalogueDraftRequest(id=entry_id, content=_content(body))
    return _entry_view((await call(_stub(request).EditCatalogueDraft, message, caller.metadata)).entry)


@router.post("/catalogue/drafts/{entry_id}/withdrawal", summary="Withdraw (撤回) a draft: kept, never published")
async def withdraw_draft(entry_id: str, body: Withdrawal, caller: StaffCaller, request: Request) -> EntryView:
    message = pb.WithdrawCatalogueDraftRequest(id=entry_id, reason=body.reason)
    return _entry_view((await call(_stub(request).WithdrawCatalogueDraft, message, caller.metadata)).entry)


@router.post("/catalogue/{entry_id}/publication", summary="Publish a draft as version 1")
async def publish_draft(entry_id: str, caller: StaffCaller, request: Request) -> EntryView:
    message = pb.PublishCatalogueDraftRequest(id=entry_id)
    return _entry_view((await call(_stub(request).PublishCatalogueDraft, message, caller.metadata)).entry)


@router.post("/catalogue/{entry_id}/revisions", summary="Publish a new version (the previous one becomes 已修改)")
async def revise_entry(entry_id: str, body: EntryContent, caller: StaffCaller, request: Request) -> EntryView:
    message = pb.ReviseCatalogueEntryRequest(id=entry_id, content=_content(body))
    return _entry_view((await call(_stub(request).ReviseCatalogueEntry, message, caller.metadata)).entry)


@router.post("/catalogue/{entry_id}/repeal", summary="Repeal a published entry (已废止); it stays public")
async def repeal_entry(entry_id: str, body: Repeal, caller: StaffCaller, request: Request) -> EntryView:
    message = pb.RepealCatalogueEntryRequest(id=entry_id, repealed_on=body.repealed_on)
    return _entry_view((await call(_stub(request).RepealCatalogueEntry, message, caller.metadata)).entry)


@router.get("/catalogue/{entry_id}", summary="One published or repealed entry (public)")
async def get_entry(entry_id: str, request: Request) -> EntryView:
    reply = await call(_stub(request).GetCatalogueEntry, pb.GetCatalogueEntryRequest(id=entry_id))
    return _entry_view(reply.entry)


@router.get("/catalogue/{entry_id}/history", summary="Every published version, oldest first (public)")
async def entry_history(entry_id: str, request: Request) -> list[VersionView]:
    reply = await call(_stub(request).GetCatalogueHistory, pb.GetCatalogueHistoryRequest(id=entry_id))
    return [
        VersionView(
            **_content_fields(v.content),
            version=v.version,
            due_on=v.due_on,
            published_at=from_timestamp(v.published_at),
            late=v.late,
            validity=v.validity,
        )
        for v in reply.versions
    ]


@router.get("/catalogue/{entry_id}/interpretations", summary="The policy's published interpretations (public)")
async def interpretations(entry_id: str, request: Request) -> list[EntryView]:
    reply = await call(_stub(request).ListInterpretations, pb.ListInterpretationsRequest(policy_id=entry_id))
    return [_entry_view(e) for e in reply.interpretations]


def _content(body: EntryContent) -> pb.EntryContent:
    fields = body.model_dump(include=set(EntryContent.model_fields) - {"attachments"})
    attachments = [pb.Attachment(name=a.name, reference=a.reference) for a in body.attachments]
    return pb.EntryContent(**fields, attachments=attachments)


def _content_fields(content: pb.EntryContent) -> dict[str, object]:
    fields: dict[str, object] = {name: getattr(content, name) for name in EntryContent.model_fields}
    fields["channels"] = list(content.channels)
    fields["attachments"] = [AttachmentModel(name=a.name, reference=a.reference) for a in content.attachments]
    return fields


def _entry_view(entry: pb.CatalogueEntry) -> EntryView:
    return EntryView(
        **_content_fields(entry.content),
        id=entry.id,
        index_number=entry.index_number,
        state=entry.state,  # type: ignore[arg-type]
        version=entry.version,
        due_on=entry.due_on,
        published_at=from_timestamp(entry.published_at) if entry.HasField("published_at") else None,
        late=entry.late,
        validity=entry.validity,
        repealed_on=entry.repealed_on,
        interprets=entry.interprets,
        withdrawn_on=entry.withdrawn_on,
        withdrawal_reason=entry.withdrawal_reason,
    )


# --- requests (依申请公开) ------------------------------------------------------------------------------------


class ApplicantModel(BaseModel):
    type: ApplicantTypeCode = Field(description="Table 三 column: 自然人 or one of the five kinds of organisation")
    name: str
    phone: str = ""
    id_number: str = Field("", description="身份证号 or 统一社会信用代码")
    address: str = ""


class RequestIntake(BaseModel):
    applicant: ApplicantModel
    description: str = Field(description="The government information sought (申请内容)")


class StaffIntake(RequestIntake):
    channel: ChannelCode
    received_on: str = Field(description="Date of receipt per Art. 31 for the channel (YYYY-MM-DD)")


class FeeNoticeView(BaseModel):
    """收费通知 (Art. 42; 国办函〔2020〕109号): from the notice to the payment the reply clock stops."""

    basis: Literal["per_request", "per_page"] = Field(description="按件计收 or 按量计收")
    quantity: int = Field(description="per_request: 件 of this request; per_page: pages")
    earlier_items: int = Field(description="per_request: the applicant's 件 earlier in the calendar month")
    amount_yuan: int
    notified_on: str
    pay_by: str = Field(description="Last day to pay: 20 working days after the notice")
    paid_on: str
    lapsed: bool = Field(description="Unpaid after pay_by; the request may be closed with 6.2")


class Progress(BaseModel):
    number: str = Field(description="申请编号")
    state: str
    received_on: str
    due_on: str
    answered_on: str
    outcome: str = Field(description="Outcome code of table 三, e.g. 1, 3.4, 5.1")
    outcome_reason: str
    fee: FeeNoticeView | None = Field(description="The fee notice to pay, when one was issued")


class Submitted(BaseModel):
    number: str
    secret_code: str = Field(description="查询码: shown only now; keep it to follow the request")
    progress: Progress


class FollowQuery(BaseModel):
    number: str
    secret_code: str


class RequestView(BaseModel):
    id: str
    number: str
    applicant: ApplicantModel = Field(description="Masked; the full details are at …/applicant")
    channel: ChannelCode
    description: str
    state: str
    received_on: str
    clock_started_on: str
    due_on: str
    correction_asked_on: str
    corrected_on: str
    extension_days: int
    extension_approver: str
    consultation_started_on: str
    paused_working_days: int
    answered_on: str
    outcome: str
    outcome_reason: str
    overdue: bool
    answered_late: bool
    submitted_at: datetime
    fee: FeeNoticeView | None


class Received(BaseModel):
    request: RequestView
    secret_code: str


class ActionBody(BaseModel):
    action: ActionCode
    on: str = Field("", description="The day it happened (YYYY-MM-DD); empty means today")
    days: int = Field(0, description="extend: working days, 1 to 20")
    approver: str = Field("", description="extend: the approving official (负责人)")
    outcome: str = Field("", description="answer: outcome code of table 三")
    reason: str = Field("", description="extend / answer / redirect_complaint: the reason told to the applicant")
    fee_basis: Literal["", "per_request", "per_page"] = Field("", description="notify_fee: 按件计收 or 按量计收")
    quantity: int = Field(0, description="notify_fee: 件 of this request (per_request) or pages (per_page)")


@router.post("/requests", status_code=201, summary="Submit a request online (public)")
async def submit_request(intake: RequestIntake, request: Request) -> Submitted:
    reply = await call(_stub(request).SubmitRequest, pb.SubmitRequestRequest(intake=_intake(intake)))
    return Submitted(number=reply.number, secret_code=reply.secret_code, progress=_progress(reply.progress))


@router.post("/requests/follow", summary="Follow one's own request with its number and secret code (public)")
async def follow_request(query: FollowQuery, request: Request) -> Progress:
    message = pb.FollowRequestRequest(number=query.number, secret_code=query.secret_code)
    return _progress((await call(_stub(request).FollowRequest, message)).progress)


@router.post("/requests/received", status_code=201, summary="Record a request received by any channel")
async def receive_request(intake: StaffIntake, caller: StaffCaller, request: Request) -> Received:
    message = pb.ReceiveRequestRequest(
        intake=_intake(intake),
        channel=pb.RequestChannel.Value(f"REQUEST_CHANNEL_{intake.channel.upper()}"),
        received_on=intake.received_on,
    )
    reply = await call(_stub(request).ReceiveRequest, message, caller.metadata)
    return Received(request=_request_view(reply.request), secret_code=reply.secret_code)


@router.get("/requests", summary="Requests, newest first")
async def list_requests(caller: StaffCaller, request: Request, state: str = "", limit: int = 100) -> list[RequestView]:
    reply = await call(_stub(request).ListRequests, pb.ListRequestsRequest(state=state, limit=limit), caller.metadata)
    return [_request_view(r) for r in reply.requests]


@router.get("/requests/{request_id}", summary="One request (applicant masked)")
async def get_request(request_id: str, caller: StaffCaller, request: Request) -> RequestView:
    reply = await call(_stub(request).GetRequest, pb.GetRequestRequest(id=request_id), caller.metadata)
    return _request_view(reply.request)


@router.get("/requests/{request_id}/applicant", summary="The applicant's contact details in full")
async def get_applicant(request_id: str, caller: StaffCaller, request: Request) -> ApplicantModel:
    reply = await call(_stub(request).GetApplicant, pb.GetApplicantRequest(id=request_id), caller.metadata)
    return _applicant(reply.applicant)


@router.post("/requests/{request_id}/actions", summary="One state change of a request")
async def act_on_request(request_id: str, body: ActionBody, caller: StaffCaller, request: Request) -> RequestView:
    message = pb.ActOnRequestRequest(id=request_id, **body.model_dump())
    reply = await call(_stub(request).ActOnRequest, message, caller.metadata)
    return _request_view(reply.request)


@router.post("/requests/overdue-checks", summary="Flag every request past its deadline")
async def detect_overdue(caller: StaffCaller, request: Request) -> list[RequestView]:
    reply = await call(_stub(request).DetectOverdueRequests, pb.DetectOverdueRequestsRequest(), caller.metadata)
    return [_request_view(r) for r in reply.requests]


def _intake(intake: RequestIntake) -> pb.RequestIntake:
    applicant = intake.applicant
    return pb.RequestIntake(
        applicant=pb.Applicant(
            type=pb.ApplicantType.Value(f"APPLICANT_TYPE_{applicant.type.upper()}"),
            name=applicant.name,
            phone=applicant.phone,
            id_number=applicant.id_number,
            address=applicant.address,
        ),
        description=intake.description,
    )


def _applicant(applicant: pb.Applicant) -> ApplicantModel:
    return ApplicantModel(
        type=pb.ApplicantType.Name(applicant.type).removeprefix("APPLICANT_TYPE_").lower(),  # type: ignore[arg-type]
        name=applicant.name,
        phone=applicant.phone,
        id_number=applicant.id_number,
        address=applicant.address,
    )


def _progress(progress: pb.RequestProgress) -> Progress:
    return Progress(
        number=progress.number,
        state=progress.state,
        received_on=progress.received_on,
        due_on=progress.due_on,
        answered_on=progress.answered_on,
        outcome=progress.outcome,
        outcome_reason=progress.outcome_reason,
        fee=_fee_view(progress),
    )


def _fee_view(message: pb.RequestProgress | pb.DisclosureRequest) -> FeeNoticeView | None:
    if not message.HasField("fee"):
        return None
    fee = message.fee
    return FeeNoticeView(
        basis=fee.basis,  # type: ignore[arg-type]
        quantity=fee.quantity,
        earlier_items=fee.earlier_items,
        amount_yuan=fee.amount_yuan,
        notified_on=fee.notified_on,
        pay_by=fee.pay_by,
        paid_on=fee.paid_on,
        lapsed=fee.lapsed,
    )


_PLAIN_FIELDS = tuple(
    name for name in RequestView.model_fields if name not in ("applicant", "channel", "submitted_at", "fee")
)


def _request_view(message: pb.DisclosureRequest) -> RequestView:
    return RequestView(
        **{name: getattr(message, name) for name in _PLAIN_FIELDS},
        applicant=_applicant(message.applicant),
        channel=pb.RequestChannel.Name(message.channel).removeprefix("REQUEST_CHANNEL_").lower(),  # type: ignore[arg-type]
        submitted_at=from_timestamp(message.submitted_at),
        fee=_fee_view(message),
    )


# --- major decisions (重大行政决策) ---------------------------------------------------------------------------

DecisionActionCode = Literal[
    "schedule_hearing", "record_risk_assessment", "record_expert_review", "close", "decide", "publish_feedback"
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
    risk_passed: bool = Field(False, description="record_risk_assessment: whether it passed")
    feedback_explanation: str = Field("", description="publish_feedback: the overall explanation")
    adoptions: list[AdoptionBody] = Field(default_factory=list, description="publish_feedback: one per comment")


@router.post("/decisions", status_code=201, summary="Open a draft decision for public comment (征求意见)")
async def open_consultation(body: ConsultationBody, caller: StaffCaller, request: Request) -> DecisionView:
    message = pb.OpenConsultationRequest(consultation=pb.Consultation(**body.model_dump()))
    reply = await call(_stub(request).OpenConsultation, message, caller.metadata)
    return _decision_view(reply.decision)


@router.get("/decisions", summary="Decisions whose consultation has opened, by state (public)")
async def list_decisions(
    request: Request, state: Literal["consulting", "closed", "decided"] = "consulting"
) -> list[DecisionView]:
    reply = await call(_stub(request).ListDecisions, pb.ListDecisionsRequest(state=state))
    return [_decision_view(d) for d in reply.decisions]


@router.get("/decisions/{decision_id}", summary="One decision whose consultation has opened (public)")
async def get_decision(decision_id: str, request: Request) -> DecisionView:
    reply = await call(_stub(request).GetDecision, pb.GetDecisionRequest(id=decision_id))
    return _decision_view(reply.decision)


@router.post("/decisions/{decision_id}/comments", status_code=201, summary="Comment on a draft (public)")
async def submit_comment(decision_id: str, body: CommentBody, request: Request) -> CommentReceived:
    message = pb.SubmitCommentRequest(decision_id=decision_id, **body.model_dump())
    reply = await call(_stub(request).SubmitComment, message)
    return CommentReceived(comment_id=reply.comment_id)


@router.get("/decisions/{decision_id}/comments", summary="The comments, with name and contact when given")
async def list_comments(decision_id: str, caller: StaffCaller, request: Request) -> list[CommentView]:
    reply = await call(_stub(request).ListComments, pb.ListCommentsRequest(decision_id=decision_id), caller.metadata)
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
    reply = await call(_stub(request).ActOnDecision, message, caller.metadata)
    return _decision_view(reply.decision)


def _decision_view(decision: pb.MajorDecision) -> DecisionView:
    c = decision.consultation
    return DecisionView(
        title=c.title,
        draft_text=c.draft_text,
        lead_unit=c.lead_unit,
        responsible_units=list(c.responsible_units),
        opens_on=c.opens_on,
        notice_ends_on=c.notice_ends_on,
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


# --- annual report (年度报告) ---------------------------------------------------------------------------------


class Figures(BaseModel):
    licensing_decisions: int = Field(0, description="表二 行政许可 本年处理决定数量")
    penalty_decisions: int = Field(0, description="表二 行政处罚 本年处理决定数量")
    enforcement_decisions: int = Field(0, description="表二 行政强制 本年处理决定数量")
    fees_ten_thousand_yuan: str = Field("0", description="表二 行政事业性收费 本年收费金额（万元）")
    review_and_litigation: list[int] = Field(
        default_factory=lambda: [0] * 15,
        description="表四: 行政复议, 直接起诉, 复议后起诉 × 结果维持, 结果纠正, 其他结果, 尚未审结, 总计",
    )


@router.put("/annual-reports/{year}/figures", summary="The unit's own figures for tables 二 and 四")
async def record_figures(year: int, figures: Figures, caller: StaffCaller, request: Request) -> Figures:
    message = pb.RecordReportFiguresRequest(figures=pb.ReportFigures(year=year, **figures.model_dump()))
    reply = await call(_stub(request).RecordReportFigures, message, caller.metadata)
    stored = reply.figures
    return Figures(
        licensing_decisions=stored.licensing_decisions,
        penalty_decisions=stored.penalty_decisions,
        enforcement_decisions=stored.enforcement_decisions,
        fees_ten_thousand_yuan=stored.fees_ten_thousand_yuan,
        review_and_litigation=list(stored.review_and_litigation),
    )


@router.get(
    "/annual-reports/{year}",
    summary="政府信息公开工作年度报告: tables 二, 三, 四 as JSON, XLSX or printable HTML",
    response_class=Response,
)
async def annual_report(
    year: int, caller: StaffCaller, request: Request, format: Literal["json", "xlsx", "html"] = "json"
) -> Response:
    message = pb.ExportAnnualReportRequest(year=year, format=pb.ReportFormat.Value(f"REPORT_FORMAT_{format.upper()}"))
    reply = await call(_stub(request).ExportAnnualReport, message, caller.metadata)
    disposition = "inline" if format != "xlsx" else "attachment"
    headers = {"Content-Disposition": f'{disposition}; filename="{reply.filename}"'}
    return Response(reply.content, media_type=reply.content_type, headers=headers)


@router.get(
    "/annual-reports/{year}/consolidated",
    summary="Consolidated table 三 of this stack and every stack below it (as far as the roll-up has synced), "
    "with the divisions counted, as JSON, XLSX or printable HTML",
    response_class=Response,
)
async def consolidated_annual_report(
    year: int, caller: StaffCaller, request: Request, format: Literal["json", "xlsx", "html"] = "json"
) -> Response:
    report_format = pb.ReportFormat.Value(f"REPORT_FORMAT_{format.upper()}")
    message = pb.ExportConsolidatedAnnualReportRequest(year=year, format=report_format)
    reply = await call(_stub(request).ExportConsolidatedAnnualReport, message, caller.metadata)
    disposition = "inline" if format != "xlsx" else "attachment"
    headers = {"Content-Disposition": f'{disposition}; filename="{reply.filename}"'}
    return Response(reply.content, media_type=reply.content_type, headers=headers)
