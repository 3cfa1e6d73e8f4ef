"""Tickets for staff: accepting (受理), listing, reading, and each step of the closed loop."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel, Field
from sunshine.hotline.v1 import hotline_pb2 as pb
from sunshine_kit.auth import Role
from sunshine_kit.rpc.client import call
from sunshine_kit.timestamps import to_timestamp

from gateway.entrypoints.auth import Caller, StaffCaller, staff_with
from gateway.entrypoints.contract import Limit, Moment
from gateway.entrypoints.routers.hotline.models import (
    SatisfactionCode,
    TicketIntake,
    TicketView,
    intake_message,
    ticket_view,
)
from gateway.entrypoints.routers.hotline.stub import stub

router = APIRouter()
TicketReader = Annotated[
    Caller,
    Depends(staff_with(Role.HOTLINE_OPERATOR, Role.HANDLING_UNIT, Role.LEADER, Role.EVALUATOR, Role.STACK_OPERATOR)),
]


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
    until: Moment | None = None
    primary_ticket_id: str = ""


@router.post("/tickets", status_code=201, summary="Accept (受理) a ticket")
async def accept_ticket(intake: TicketIntake, caller: StaffCaller, request: Request) -> TicketView:
    message = pb.AcceptTicketRequest(intake=intake_message(intake))
    reply = await call(stub(request).AcceptTicket, message, caller.metadata)
    return ticket_view(reply.ticket)


@router.get("/tickets", summary="Tickets, newest first")
async def list_tickets(
    caller: TicketReader,
    request: Request,
    state: Annotated[list[str], Query(description="State codes: ACCEPTED, DISPATCHED, …")] = [],  # noqa: B006
    topic: Annotated[list[str], Query()] = [],  # noqa: B006
    limit: Annotated[Limit, Query(description="At most this many (the service caps it at 1000)")] = 100,
) -> list[TicketView]:
    message = pb.ListTicketsRequest(states=state, topics=topic, limit=limit)
    reply = await call(stub(request).ListTickets, message, caller.metadata)
    return [ticket_view(t) for t in reply.tickets]


@router.get("/tickets/{ticket_id}", summary="One ticket")
async def get_ticket(ticket_id: str, caller: StaffCaller, request: Request) -> TicketView:
    reply = await call(stub(request).GetTicket, pb.GetTicketRequest(id=ticket_id), caller.metadata)
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
    reply = await call(stub(request).TransitionTicket, message, caller.metadata)
    return ticket_view(reply.ticket)
