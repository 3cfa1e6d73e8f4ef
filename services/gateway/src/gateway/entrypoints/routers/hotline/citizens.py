"""The citizens' own, without login: filing a ticket, following it by number and code, evaluating the
outcome."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, Request
from pydantic import BaseModel, Field
from sunshine.hotline.v1 import hotline_pb2 as pb
from sunshine_kit.errors import ValidationFailed
from sunshine_kit.rpc.client import call
from sunshine_kit.timestamps import from_timestamp

from gateway.entrypoints.routers import provisional
from gateway.entrypoints.routers.hotline.models import SatisfactionCode, TicketIntake, intake_message
from gateway.entrypoints.routers.hotline.stub import stub

router = APIRouter()


class PublicTicketView(BaseModel):
    """What a citizen sees: no caller data, no staff names."""

    number: str
    topic: str
    state: str
    accepted_at: datetime
    due_at: datetime
    due_at_provisional: bool = provisional.flag()
    answer: str
    provisional_note: str = provisional.note_field()


class TicketSubmitted(BaseModel):
    ticket: PublicTicketView
    code: str = Field(description="查询码: keep it to follow the ticket; it is not shown again")


class FollowBody(BaseModel):
    number: str
    code: str


class EvaluateBody(FollowBody):
    satisfaction: SatisfactionCode


@router.post("/public/tickets", status_code=201, summary="A citizen files a ticket (public)")
async def submit_ticket(intake: TicketIntake, request: Request) -> TicketSubmitted:
    if intake.channel == "open311":
        # Bound to its own door: Open311 filings go through /open311/v2/requests, which checks the api_key.
        raise ValidationFailed.field("channel", "open311 requests are filed at /open311/v2/requests with an api_key")
    reply = await call(stub(request).SubmitTicket, pb.SubmitTicketRequest(intake=intake_message(intake)))
    return TicketSubmitted(ticket=public_view(reply.ticket), code=reply.code)


@router.post("/public/follow", summary="A citizen follows a ticket by number and code (public)")
async def follow(body: FollowBody, request: Request) -> PublicTicketView:
    reply = await call(stub(request).FollowTicket, pb.FollowTicketRequest(number=body.number, code=body.code))
    return public_view(reply.ticket)


@router.post("/public/evaluate", summary="A citizen evaluates (评价) the outcome (public)")
async def evaluate(body: EvaluateBody, request: Request) -> PublicTicketView:
    message = pb.EvaluateTicketRequest(number=body.number, code=body.code, satisfaction=body.satisfaction)
    reply = await call(stub(request).EvaluateTicket, message)
    return public_view(reply.ticket)


def public_view(ticket: pb.Ticket) -> PublicTicketView:
    return PublicTicketView(
        number=ticket.number,
        topic=ticket.topic,
        state=ticket.state,
        accepted_at=from_timestamp(ticket.accepted_at),
        due_at=from_timestamp(ticket.due_at),
        due_at_provisional=ticket.due_at_provisional,
        answer=ticket.answer,
        provisional_note=provisional.note(ticket.due_at_provisional),
    )
