"""Hotline (12345) tickets: staff endpoints (role and jurisdiction checked by the hotline service), and the
citizens' own: filing a ticket, following it by number and code, evaluating the outcome."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal
from urllib.parse import quote

from fastapi import APIRouter, Query, Request, Response
from pydantic import BaseModel, Field
from sunshine.hotline.v1 import hotline_pb2 as pb
from sunshine_kit.rpc.client import call
from sunshine_kit.timestamps import from_timestamp, to_timestamp

from gateway.entrypoints.auth import StaffCaller

router = APIRouter(prefix="/api/v1/hotline", tags=["hotline"])

CategoryCode = Literal["inquiry", "help", "complaint", "report", "suggestion", "praise"]
ChannelCode = Literal["phone", "web", "app", "wechat", "email", "open311", "parent", "disclosure"]
UrgencyCode = Literal["normal", "urgent"]
SatisfactionCode = Literal["SATISFIED", "BASICALLY_SATISFIED", "UNSATISFIED"]


class CallerData(BaseModel):
    name: str = ""
    phone: str = ""
    id_number: str = ""


class TicketIntake(BaseModel):
    category: CategoryCode = Field(
        description="咨询 inquiry, 求助 help, 投诉 complaint, 举报 report, 意见建议 suggestion, 表扬 praise"
    )
    topic: str = Field(description="Topic from the taxonomy (GET /api/v1/hotline/topics), e.g. 环境卫生")
    channel: ChannelCode
    place_division: str = Field(description="Division code of the place the matter is about")
    address: str = ""
    description: str
    urgency: UrgencyCode = "normal"
    confidential: bool = Field(False, description="保密: the caller's data is never shown to handling units")
    caller: CallerData = Field(default_factory=CallerData)


class HistoryView(BaseModel):
    action: str
    from_state: str
    to_state: str
    actor: str
    actor_id: str
    at: datetime
    note: str


class LinkedDocumentView(BaseModel):
    entry_id: str
    title: str
    document_number: str
    validity: str
    linked_at: datetime
    linked_by: str


class TicketView(BaseModel):
    id: str
    number: str
    category: CategoryCode
    topic: str
    channel: ChannelCode
    urgency: UrgencyCode
    place_division: str
    address: str
    description: str
    confidential: bool
    caller: CallerData = Field(description="Masked unless the reader's role needs it")
    state: str = Field(description="受理, 派单, 下派, 退单, 签收, 办理, 答复, 办结, 回访, 评价, 并单")
    state_code: str
    accepted_at: datetime
    due_at: datetime
    sign_due_at: datetime | None = None
    lead_unit: str = ""
    assisting_units: list[str] = []
    answer: str = ""
    direct_answer: bool = False
    satisfaction: str = ""
    resolved: bool | None = None
    reopen_count: int = 0
    urge_count: int = 0
    escalated: bool = False
    requested_due_at: datetime | None = None
    merged_into: str = ""
    duplicate_of: str = ""
    duplicate_score: float = 0.0
    closed_at: datetime | None = None
    history: list[HistoryView] = []
    below_state: str = Field("", description="Handed down (下派): the child stack's latest state code there")
    origin_division: str = Field("", description="Handed down from the parent stack: its division and ticket")
    origin_ticket_id: str = ""
    origin_ticket_number: str = ""
    documents: list[LinkedDocumentView] = Field([], description="Disclosure catalogue documents linked (知识库)")
    disclosure_request_id: str = Field("", description="Redirected from this disclosure request (Art. 39)")
    disclosure_request_number: str = Field("", description="申请编号 of the request it came from or became")


class PublicTicketView(BaseModel):
    """What a citizen sees: no caller data, no staff names."""

    number: str
    topic: str
    state: str
    accepted_at: datetime
    due_at: datetime
    answer: str


class Submitted(BaseModel):
    ticket: PublicTicketView
    code: str = Field(description="查询码: keep it to follow the ticket; it is not shown again")


class TransitionBody(BaseModel):
    action: str = Field(description="dispatch, sign, return, reassign, reject_return, start, answer, review, …")
    note: str = ""
    lead_unit: str = ""
    assisting_units: list[str] = []
    answer: str = ""
    approved: bool = False
    reached: bool = True
    resolved: bool = False
    satisfaction: SatisfactionCode | None = None
    until: datetime | None = None
    primary_ticket_id: str = ""


class FollowBody(BaseModel):
    number: str
    code: str


class EvaluateBody(FollowBody):
    satisfaction: SatisfactionCode


class Suggestion(BaseModel):
    lead_unit: str
    assisting_units: list[str]
    topic: str
    matched_keywords: list[str]


class ClassificationText(BaseModel):
    text: str = Field(description="The description of the call, 1 to 2000 characters")


class TopicScore(BaseModel):
    topic: str
    confidence: float


class ClassificationView(BaseModel):
    topic: str | None = Field(description="The suggested topic; null: no confident suggestion (请人工选择)")
    confidence: float = Field(description="The best topic's confidence, 0–1, also when below the threshold")
    threshold: float
    alternatives: list[TopicScore] = Field(description="The best topics, best first")
    lead_unit: str | None = Field(description="The dispatch catalogue's lead unit (主办) for the suggested topic")
    assisting_units: list[str]
    matched_keywords: list[str]


class Duplicate(BaseModel):
    ticket_id: str
    score: float
    reason: str


class TopicView(BaseModel):
    code: str
    name: str
    description: str
    group: str


class UnitView(BaseModel):
    code: str
    name: str
    kind: str
    division: str


@router.post("/tickets", status_code=201, summary="Accept (受理) a ticket")
async def accept_ticket(intake: TicketIntake, caller: StaffCaller, request: Request) -> TicketView:
    reply = await call(_stub(request).AcceptTicket, pb.AcceptTicketRequest(intake=_intake(intake)), caller.metadata)
    return ticket_view(reply.ticket)


@router.get("/tickets", summary="Tickets, newest first")
async def list_tickets(
    caller: StaffCaller,
    request: Request,
    state: Annotated[list[str], Query(description="State codes: ACCEPTED, DISPATCHED, …")] = [],  # noqa: B006
    topic: Annotated[list[str], Query()] = [],  # noqa: B006
    limit: int = 100,
) -> list[TicketView]:
    message = pb.ListTicketsRequest(states=state, topics=topic, limit=limit)
    reply = await call(_stub(request).ListTickets, message, caller.metadata)
    return [ticket_view(t) for t in reply.tickets]


@router.get("/tickets/{ticket_id}", summary="One ticket")
async def get_ticket(ticket_id: str, caller: StaffCaller, request: Request) -> TicketView:
    reply = await call(_stub(request).GetTicket, pb.GetTicketRequest(id=ticket_id), caller.metadata)
    return ticket_view(reply.ticket)


@router.post("/tickets/{ticket_id}/transitions", summary="One step of the closed loop")
async def transition(ticket_id: str, body: TransitionBody, caller: StaffCaller, request: Request) -> TicketView:
    message = pb.TransitionTicketRequest(
        ticket_id=ticket_id,
        action=body.action,
        note=body.note,
        lead_unit=body.lead_unit,
        assisting_units=body.assisting_units,
        answer=body.answer,
        approved=body.approved,
        reached=body.reached,
        resolved=body.resolved,
        satisfaction=body.satisfaction or "",
        primary_ticket_id=body.primary_ticket_id,
    )
    if body.until is not None:
        message.until.CopyFrom(to_timestamp(body.until))
    reply = await call(_stub(request).TransitionTicket, message, caller.metadata)
    return ticket_view(reply.ticket)


@router.get("/tickets/{ticket_id}/dispatch-suggestion", summary="The dispatch catalogue's suggestion (派单建议)")
async def dispatch_suggestion(ticket_id: str, caller: StaffCaller, request: Request) -> Suggestion:
    reply = await call(_stub(request).SuggestDispatch, pb.SuggestDispatchRequest(ticket_id=ticket_id), caller.metadata)
    return Suggestion(
        lead_unit=reply.lead_unit,
        assisting_units=list(reply.assisting_units),
        topic=reply.topic,
        matched_keywords=list(reply.matched_keywords),
    )


@router.post("/classification", summary="A suggested topic and handling unit from the text (分类建议)")
async def suggest_classification(body: ClassificationText, caller: StaffCaller, request: Request) -> ClassificationView:
    message = pb.SuggestClassificationRequest(text=body.text)
    reply = await call(_stub(request).SuggestClassification, message, caller.metadata)
    return ClassificationView(
        topic=reply.topic or None,
        confidence=reply.confidence,
        threshold=reply.threshold,
        alternatives=[TopicScore(topic=s.topic, confidence=s.confidence) for s in reply.alternatives],
        lead_unit=reply.lead_unit or None,
        assisting_units=list(reply.assisting_units),
        matched_keywords=list(reply.matched_keywords),
    )


@router.get("/tickets/{ticket_id}/duplicates", summary="Likely duplicates (疑似重复), best first")
async def duplicates(ticket_id: str, caller: StaffCaller, request: Request) -> list[Duplicate]:
    reply = await call(_stub(request).FindDuplicates, pb.FindDuplicatesRequest(ticket_id=ticket_id), caller.metadata)
    return [Duplicate(ticket_id=d.ticket_id, score=d.score, reason=d.reason) for d in reply.duplicates]


@router.get("/topics", summary="The topic taxonomy (public)")
async def topics(request: Request) -> list[TopicView]:
    reply = await call(_stub(request).ListTopics, pb.ListTopicsRequest())
    return [TopicView(code=t.code, name=t.name, description=t.description, group=t.group) for t in reply.topics]


@router.get("/units", summary="Handling units of the dispatch catalogue")
async def units(caller: StaffCaller, request: Request) -> list[UnitView]:
    reply = await call(_stub(request).ListUnits, pb.ListUnitsRequest(), caller.metadata)
    return [UnitView(code=u.code, name=u.name, kind=u.kind, division=u.division) for u in reply.units]


class HourCount(BaseModel):
    topic: str
    place_division: str
    hour: int = Field(description="0–23, China time")
    count: int


class DayCount(BaseModel):
    topic: str
    place_division: str
    day: date
    count: int


class SpikeView(BaseModel):
    topic: str
    place_division: str
    day: date
    count: int
    baseline_mean: float
    baseline_stddev: float
    threshold: float = Field(description="baseline_mean + k × baseline_stddev")


class HotspotParameters(BaseModel):
    baseline_days: int
    k: float
    min_count: int
    peak_hours: int


class HotspotsView(BaseModel):
    from_day: date
    to_day: date
    by_hour: list[HourCount]
    by_day: list[DayCount]
    hourly_totals: list[int] = Field(description="24 values: tickets per hour of day (China time)")
    peak_hours: list[int]
    spikes: list[SpikeView] = Field(description="Topics at a place above their trailing baseline on to_day")
    parameters: HotspotParameters


class TopicIssuesView(BaseModel):
    topic: str
    tickets: int
    open: int
    overdue: int
    summaries: list[str] = Field(description="Recent non-confidential descriptions, caller data masked")


class IssueListView(BaseModel):
    unit: str
    unit_name: str
    from_day: date
    to_day: date
    tickets: int
    open: int
    overdue: int
    topics: list[TopicIssuesView]


@router.get("/hotspots", summary="Hotspots (热点): counts by topic, place, hour and day; peak hours; spikes")
async def hotspots(
    caller: StaffCaller,
    request: Request,
    from_day: Annotated[date | None, Query(alias="from", description="China day; default 6 days before `to`")] = None,
    to_day: Annotated[date | None, Query(alias="to", description="China day; default today")] = None,
    category: Annotated[list[CategoryCode], Query()] = [],  # noqa: B006
) -> HotspotsView:
    message = pb.GetHotspotsRequest(
        from_day=_day(from_day),
        to_day=_day(to_day),
        categories=[pb.Category.Value(f"CATEGORY_{c.upper()}") for c in category],
    )
    reply = await call(_stub(request).GetHotspots, message, caller.metadata)
    return HotspotsView(
        from_day=date.fromisoformat(reply.from_day),
        to_day=date.fromisoformat(reply.to_day),
        by_hour=[
            HourCount(topic=h.topic, place_division=h.place_division, hour=h.hour, count=h.count) for h in reply.by_hour
        ],
        by_day=[
            DayCount(topic=d.topic, place_division=d.place_division, day=date.fromisoformat(d.day), count=d.count)
            for d in reply.by_day
        ],
        hourly_totals=list(reply.hourly_totals),
        peak_hours=list(reply.peak_hours),
        spikes=[
            SpikeView(
                topic=s.topic,
                place_division=s.place_division,
                day=date.fromisoformat(s.day),
                count=s.count,
                baseline_mean=s.baseline_mean,
                baseline_stddev=s.baseline_stddev,
                threshold=s.threshold,
            )
            for s in reply.spikes
        ],
        parameters=HotspotParameters(
            baseline_days=reply.parameters.baseline_days,
            k=reply.parameters.k,
            min_count=reply.parameters.min_count,
            peak_hours=reply.parameters.peak_hours,
        ),
    )


@router.get(
    "/issue-list",
    summary="问题清单 of one handling unit for a period, as JSON or XLSX (?format=xlsx)",
    response_model=IssueListView,
)
async def issue_list(
    unit: str,
    caller: StaffCaller,
    request: Request,
    from_day: Annotated[date | None, Query(alias="from", description="China day; default 29 days before `to`")] = None,
    to_day: Annotated[date | None, Query(alias="to", description="China day; default today")] = None,
    format: Literal["json", "xlsx"] = "json",
) -> IssueListView | Response:
    fields = {"unit": unit, "from_day": _day(from_day), "to_day": _day(to_day)}
    if format == "xlsx":
        exported = await call(_stub(request).ExportIssueList, pb.ExportIssueListRequest(**fields), caller.metadata)
        return Response(exported.content, media_type=exported.content_type, headers=_attachment(exported.filename))
    found = (await call(_stub(request).GetIssueList, pb.GetIssueListRequest(**fields), caller.metadata)).issue_list
    return IssueListView(
        unit=found.unit,
        unit_name=found.unit_name,
        from_day=date.fromisoformat(found.from_day),
        to_day=date.fromisoformat(found.to_day),
        tickets=found.tickets,
        open=found.open,
        overdue=found.overdue,
        topics=[
            TopicIssuesView(
                topic=t.topic, tickets=t.tickets, open=t.open, overdue=t.overdue, summaries=list(t.summaries)
            )
            for t in found.topics
        ],
    )


class KnowledgeDocument(BaseModel):
    entry_id: str
    title: str
    document_number: str
    issuing_organ: str
    validity: str = Field(description="现行有效 or 已废止")
    formed_on: str
    score: int


class LinkBody(BaseModel):
    entry_ids: list[str] = Field(description="Catalogue entry ids from GET /api/v1/hotline/knowledge")


class HandOverBody(BaseModel):
    caller_consents: bool = Field(description="The caller agreed that the call becomes a disclosure request")
    applicant_type: str = Field("natural_person", description="Table 三 column: natural_person, …")
    information_sought: str = Field("", description="申请内容; empty: the ticket's description")
    applicant_address: str = ""


class HandedOver(BaseModel):
    ticket: TicketView
    request_number: str = Field(description="申请编号 at the disclosure service")
    secret_code: str = Field(description="The code the caller follows the request with; not shown again")


@router.get("/knowledge", summary="Knowledge base (知识库): search the disclosure catalogue; 503 when unavailable")
async def knowledge(
    caller: StaffCaller, request: Request, q: Annotated[str, Query(description="Words to look for")], limit: int = 10
) -> list[KnowledgeDocument]:
    message = pb.SearchKnowledgeRequest(query=q, limit=limit)
    reply = await call(_stub(request).SearchKnowledge, message, caller.metadata)
    return [
        KnowledgeDocument(
            entry_id=d.entry_id,
            title=d.title,
            document_number=d.document_number,
            issuing_organ=d.issuing_organ,
            validity=d.validity,
            formed_on=d.formed_on,
            score=d.score,
        )
        for d in reply.documents
    ]


@router.post("/tickets/{ticket_id}/documents", summary="Link the catalogue documents used to a ticket")
async def link_documents(ticket_id: str, body: LinkBody, caller: StaffCaller, request: Request) -> TicketView:
    message = pb.LinkDocumentsRequest(ticket_id=ticket_id, entry_ids=body.entry_ids)
    reply = await call(_stub(request).LinkDocuments, message, caller.metadata)
    return ticket_view(reply.ticket)


@router.post(
    "/tickets/{ticket_id}/disclosure-handover",
    summary="Hand a call that is a disclosure request (依申请公开) to the disclosure service, with consent",
)
async def hand_over(ticket_id: str, body: HandOverBody, caller: StaffCaller, request: Request) -> HandedOver:
    message = pb.HandOverToDisclosureRequest(ticket_id=ticket_id, **body.model_dump())
    reply = await call(_stub(request).HandOverToDisclosure, message, caller.metadata)
    return HandedOver(
        ticket=ticket_view(reply.ticket), request_number=reply.request_number, secret_code=reply.secret_code
    )


@router.post("/public/tickets", status_code=201, summary="A citizen files a ticket (public)")
async def submit_ticket(intake: TicketIntake, request: Request) -> Submitted:
    reply = await call(_stub(request).SubmitTicket, pb.SubmitTicketRequest(intake=_intake(intake)))
    return Submitted(ticket=public_view(reply.ticket), code=reply.code)


@router.post("/public/follow", summary="A citizen follows a ticket by number and code (public)")
async def follow(body: FollowBody, request: Request) -> PublicTicketView:
    reply = await call(_stub(request).FollowTicket, pb.FollowTicketRequest(number=body.number, code=body.code))
    return public_view(reply.ticket)


@router.post("/public/evaluate", summary="A citizen evaluates (评价) the outcome (public)")
async def evaluate(body: EvaluateBody, request: Request) -> PublicTicketView:
    message = pb.EvaluateTicketRequest(number=body.number, code=body.code, satisfaction=body.satisfaction)
    reply = await call(_stub(request).EvaluateTicket, message)
    return public_view(reply.ticket)


def _stub(request: Request):  # type: ignore[no-untyped-def]
    return request.app.state.services.hotline


def _intake(intake: TicketIntake) -> pb.TicketIntake:
    return pb.TicketIntake(
        category=pb.Category.Value(f"CATEGORY_{intake.category.upper()}"),
        topic=intake.topic,
        channel=pb.Channel.Value(f"CHANNEL_{intake.channel.upper()}"),
        place_division=intake.place_division,
        address=intake.address,
        description=intake.description,
        urgency=pb.Urgency.Value(f"URGENCY_{intake.urgency.upper()}"),
        confidential=intake.confidential,
        caller=pb.Caller(**intake.caller.model_dump()),
    )


def _day(day: date | None) -> str:
    return day.isoformat() if day else ""


def _attachment(filename: str) -> dict[str, str]:
    """A Chinese filename (RFC 6266 filename*), with an ASCII fallback for old clients."""
    fallback = "issue-list" + filename.encode("ascii", "ignore").decode()
    return {"Content-Disposition": f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename)}"}


def _time(message: object, name: str) -> datetime | None:
    return from_timestamp(getattr(message, name)) if message.HasField(name) else None  # type: ignore[attr-defined]


def ticket_view(ticket: pb.Ticket) -> TicketView:
    return TicketView(
        id=ticket.id,
        number=ticket.number,
        category=pb.Category.Name(ticket.category).removeprefix("CATEGORY_").lower(),  # type: ignore[arg-type]
        topic=ticket.topic,
        channel=pb.Channel.Name(ticket.channel).removeprefix("CHANNEL_").lower(),  # type: ignore[arg-type]
        urgency=pb.Urgency.Name(ticket.urgency).removeprefix("URGENCY_").lower(),  # type: ignore[arg-type]
        place_division=ticket.place_division,
        address=ticket.address,
        description=ticket.description,
        confidential=ticket.confidential,
        caller=CallerData(name=ticket.caller.name, phone=ticket.caller.phone, id_number=ticket.caller.id_number),
        state=ticket.state,
        state_code=ticket.state_code,
        accepted_at=from_timestamp(ticket.accepted_at),
        due_at=from_timestamp(ticket.due_at),
        sign_due_at=_time(ticket, "sign_due_at"),
        lead_unit=ticket.lead_unit,
        assisting_units=list(ticket.assisting_units),
        answer=ticket.answer,
        direct_answer=ticket.direct_answer,
        satisfaction=ticket.satisfaction,
        resolved=ticket.resolved if ticket.HasField("resolved") else None,
        reopen_count=ticket.reopen_count,
        urge_count=ticket.urge_count,
        escalated=ticket.escalated,
        requested_due_at=_time(ticket, "requested_due_at"),
        merged_into=ticket.merged_into,
        duplicate_of=ticket.duplicate_of,
        duplicate_score=ticket.duplicate_score,
        closed_at=_time(ticket, "closed_at"),
        history=[
            HistoryView(
                action=h.action,
                from_state=h.from_state,
                to_state=h.to_state,
                actor=h.actor,
                actor_id=h.actor_id,
                at=from_timestamp(h.at),
                note=h.note,
            )
            for h in ticket.history
        ],
        below_state=ticket.below_state,
        origin_division=ticket.origin_division,
        origin_ticket_id=ticket.origin_ticket_id,
        origin_ticket_number=ticket.origin_ticket_number,
        documents=[
            LinkedDocumentView(
                entry_id=d.entry_id,
                title=d.title,
                document_number=d.document_number,
                validity=d.validity,
                linked_at=from_timestamp(d.linked_at),
                linked_by=d.linked_by,
            )
            for d in ticket.documents
        ],
        disclosure_request_id=ticket.disclosure_request_id,
        disclosure_request_number=ticket.disclosure_request_number,
    )


def public_view(ticket: pb.Ticket) -> PublicTicketView:
    return PublicTicketView(
        number=ticket.number,
        topic=ticket.topic,
        state=ticket.state,
        accepted_at=from_timestamp(ticket.accepted_at),
        due_at=from_timestamp(ticket.due_at),
        answer=ticket.answer,
    )
