"""The ticket as the hotline routers take it in and show it to staff, and its proto mappings."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field
from sunshine.hotline.v1 import hotline_pb2 as pb
from sunshine_kit.timestamps import from_timestamp

from gateway.entrypoints.routers import provisional

CategoryCode = Literal["inquiry", "help", "complaint", "report", "suggestion", "praise"]
ChannelCode = Literal["phone", "web", "app", "wechat", "email", "open311", "parent", "disclosure"]
UrgencyCode = Literal["normal", "urgent"]
SatisfactionCode = Literal["SATISFIED", "BASICALLY_SATISFIED", "UNSATISFIED"]


class CallerData(BaseModel):
    name: str = ""
    phone: str = ""
    id_number: str = ""
    email: str = ""


class Location(BaseModel):
    latitude: float | None = Field(None, description="WGS84, -90 to 90; with longitude")
    longitude: float | None = Field(None, description="WGS84, -180 to 180; with latitude")
    media_url: str = Field("", description="A public http(s) URL of a photo or other media about the matter")


class TicketIntake(Location):
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


class TicketView(Location):
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
    due_at_provisional: bool = provisional.flag()
    sign_due_at: datetime | None = None
    sign_due_at_provisional: bool = provisional.flag()
    provisional_note: str = provisional.note_field()
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


def intake_message(intake: TicketIntake) -> pb.TicketIntake:
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
        latitude=intake.latitude,
        longitude=intake.longitude,
        media_url=intake.media_url,
    )


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
        caller=CallerData(
            name=ticket.caller.name,
            phone=ticket.caller.phone,
            id_number=ticket.caller.id_number,
            email=ticket.caller.email,
        ),
        latitude=ticket.latitude if ticket.HasField("latitude") else None,
        longitude=ticket.longitude if ticket.HasField("longitude") else None,
        media_url=ticket.media_url,
        state=ticket.state,
        state_code=ticket.state_code,
        accepted_at=from_timestamp(ticket.accepted_at),
        due_at=from_timestamp(ticket.due_at),
        due_at_provisional=ticket.due_at_provisional,
        sign_due_at=_time(ticket, "sign_due_at"),
        sign_due_at_provisional=ticket.sign_due_at_provisional,
        provisional_note=provisional.note(ticket.due_at_provisional, ticket.sign_due_at_provisional),
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
