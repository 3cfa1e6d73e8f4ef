"""Searching the catalogue (主动公开): public."""

from __future__ import annotations

from fastapi import APIRouter, Request
from pydantic import BaseModel, Field
from sunshine.disclosure.v1 import disclosure_pb2 as pb
from sunshine_kit.rpc.client import call

from gateway.entrypoints.contract import Limit, Offset
from gateway.entrypoints.routers.disclosure.stub import stub

router = APIRouter()


class SearchHit(BaseModel):
    entry_id: str
    score: int = Field(description="Relevance (higher first)")
    title: str
    document_number: str
    issuing_organ: str
    key_area: str
    validity: str
    formed_on: str
    partial: bool = Field(description="部分匹配: only some of the query's character pairs; after every full match")


@router.get("/catalogue", summary="Search the catalogue (public): full matches first, then partial ones")
async def search_catalogue(
    request: Request,
    q: str,
    key_area: str = "",
    issuing_organ: str = "",
    validity: str = "",
    formed_from: str = "",
    formed_to: str = "",
    limit: Limit = 20,
    offset: Offset = 0,
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
    reply = await call(stub(request).SearchCatalogue, message)
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
            partial=h.partial,
        )
        for h in reply.hits
    ]
