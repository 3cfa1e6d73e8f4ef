"""Handing a call that is a disclosure request (依申请公开) over to the disclosure service, with consent."""

from __future__ import annotations

from fastapi import APIRouter, Request
from pydantic import BaseModel, Field
from sunshine.hotline.v1 import hotline_pb2 as pb
from sunshine_kit.rpc.client import call

from gateway.entrypoints.auth import StaffCaller
from gateway.entrypoints.routers.hotline.models import TicketView, ticket_view
from gateway.entrypoints.routers.hotline.stub import stub

router = APIRouter()


class HandOverBody(BaseModel):
    caller_consents: bool = Field(description="The caller agreed that the call becomes a disclosure request")
    applicant_type: str = Field("natural_person", description="Table 三 column: natural_person, …")
    information_sought: str = Field("", description="申请内容; empty: the ticket's description")
    applicant_address: str = ""


class HandedOver(BaseModel):
    ticket: TicketView
    request_number: str = Field(description="申请编号 at the disclosure service")
    secret_code: str = Field(description="The code the caller follows the request with; not shown again")


@router.post(
    "/tickets/{ticket_id}/disclosure-handover",
    summary="Hand a call that is a disclosure request (依申请公开) to the disclosure service, with consent",
)
async def hand_over(ticket_id: str, body: HandOverBody, caller: StaffCaller, request: Request) -> HandedOver:
    message = pb.HandOverToDisclosureRequest(ticket_id=ticket_id, **body.model_dump())
    reply = await call(stub(request).HandOverToDisclosure, message, caller.metadata)
    return HandedOver(
        ticket=ticket_view(reply.ticket), request_number=reply.request_number, secret_code=reply.secret_code
    )
