"""Hotline (12345) tickets, for staff."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from fastapi import APIRouter, Request
from pydantic import BaseModel, Field
from sunshine.hotline.v1 import hotline_pb2 as pb
from sunshine_kit.rpc.client import call
from sunshine_kit.timestamps import from_timestamp

from gateway.entrypoints.auth import StaffCaller

router = APIRouter(prefix="/api/v1/hotline", tags=["hotline"])

CategoryCode = Literal["inquiry", "help", "complaint", "report", "suggestion", "praise"]
ChannelCode = Literal["phone", "web", "app", "wechat", "email", "open311"]


class TicketIntake(BaseModel):
    category: CategoryCode = Field(
        description="咨询 inquiry, 求助 help, 投诉 complaint, 举报 report, 意见建议 suggestion, 表扬 praise"
    )
    topic: str = Field(description="Topic from the taxonomy, e.g. 环境卫生")
    channel: ChannelCode
    place_division: str = Field(description="Division code of the place the matter is about")
    address: str = ""
    description: str


class TicketView(BaseModel):
    id: str
    category: CategoryCode
    topic: str
    channel: ChannelCode
    place_division: str
    address: str
    description: str
    state: str = Field(description="受理, 派单, 签收, …")
    accepted_at: datetime
    due_at: datetime


@router.post("/tickets", status_code=201, summary="Accept (受理) a ticket")
async def accept_ticket(intake: TicketIntake, caller: StaffCaller, request: Request) -> TicketView:
    message = pb.AcceptTicketRequest(
        category=pb.Category.Value(f"CATEGORY_{intake.category.upper()}"),
        topic=intake.topic,
        channel=pb.Channel.Value(f"CHANNEL_{intake.channel.upper()}"),
        place_division=intake.place_division,
        address=intake.address,
        description=intake.description,
    )
    reply = await call(request.app.state.services.hotline.AcceptTicket, message, caller.metadata)
    return _view(reply.ticket)


@router.get("/tickets/{ticket_id}", summary="One ticket")
async def get_ticket(ticket_id: str, caller: StaffCaller, request: Request) -> TicketView:
    reply = await call(request.app.state.services.hotline.GetTicket, pb.GetTicketRequest(id=ticket_id), caller.metadata)
    return _view(reply.ticket)


def _view(ticket: pb.Ticket) -> TicketView:
    return TicketView(
        id=ticket.id,
        category=pb.Category.Name(ticket.category).removeprefix("CATEGORY_").lower(),  # type: ignore[arg-type]
        topic=ticket.topic,
        channel=pb.Channel.Name(ticket.channel).removeprefix("CHANNEL_").lower(),  # type: ignore[arg-type]
        place_division=ticket.place_division,
        address=ticket.address,
        description=ticket.description,
        state=ticket.state,
        accepted_at=from_timestamp(ticket.accepted_at),
        due_at=from_timestamp(ticket.due_at),
    )
