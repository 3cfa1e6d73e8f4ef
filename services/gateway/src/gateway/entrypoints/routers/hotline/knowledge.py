"""The knowledge base (知识库): searching the disclosure catalogue and linking the documents used to a ticket."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel, Field
from sunshine.hotline.v1 import hotline_pb2 as pb
from sunshine_kit.auth import Role
from sunshine_kit.rpc.client import call

from gateway.entrypoints.auth import Caller, StaffCaller, staff_with
from gateway.entrypoints.contract import Limit
from gateway.entrypoints.routers.hotline.models import TicketView, ticket_view
from gateway.entrypoints.routers.hotline.stub import stub

router = APIRouter()
KnowledgeUser = Annotated[Caller, Depends(staff_with(Role.HOTLINE_OPERATOR, Role.HANDLING_UNIT))]


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


@router.get("/knowledge", summary="Knowledge base (知识库): search the disclosure catalogue; 503 when unavailable")
async def knowledge(
    caller: KnowledgeUser,
    request: Request,
    q: Annotated[str, Query(description="Words to look for")],
    limit: Annotated[Limit, Query(description="At most this many (the service caps it at 50)")] = 10,
) -> list[KnowledgeDocument]:
    message = pb.SearchKnowledgeRequest(query=q, limit=limit)
    reply = await call(stub(request).SearchKnowledge, message, caller.metadata)
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
    reply = await call(stub(request).LinkDocuments, message, caller.metadata)
    return ticket_view(reply.ticket)
