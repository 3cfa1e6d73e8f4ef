"""Disclosure (政务公开) catalogue: publishing is for staff, reading is public."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, Request
from pydantic import BaseModel, Field
from sunshine.disclosure.v1 import disclosure_pb2 as pb
from sunshine_kit.rpc.client import call
from sunshine_kit.timestamps import from_timestamp

from gateway.entrypoints.auth import StaffCaller

router = APIRouter(prefix="/api/v1/disclosure", tags=["disclosure"])


class EntryDraft(BaseModel):
    title: str
    issuing_organ: str = Field(description="发布机构")
    document_number: str = Field("", description="发文字号, e.g. 成办发〔2015〕28号")
    formed_on: str = Field(description="Date the information was formed (YYYY-MM-DD)")
    body: str


class EntryView(BaseModel):
    id: str
    index_number: str = Field(description="索引号")
    title: str
    issuing_organ: str
    document_number: str
    formed_on: str
    due_on: str = Field(description="formed_on + 20 working days (Art. 26)")
    published_at: datetime
    late: bool
    body: str


@router.post("/catalogue", status_code=201, summary="Publish (主动公开) a catalogue entry")
async def publish_entry(draft: EntryDraft, caller: StaffCaller, request: Request) -> EntryView:
    message = pb.PublishCatalogueEntryRequest(**draft.model_dump())
    reply = await call(request.app.state.services.disclosure.PublishCatalogueEntry, message, caller.metadata)
    return _view(reply.entry)


@router.get("/catalogue/{entry_id}", summary="One published entry (public)")
async def get_entry(entry_id: str, request: Request) -> EntryView:
    reply = await call(
        request.app.state.services.disclosure.GetCatalogueEntry, pb.GetCatalogueEntryRequest(id=entry_id)
    )
    return _view(reply.entry)


def _view(entry: pb.CatalogueEntry) -> EntryView:
    return EntryView(
        id=entry.id,
        index_number=entry.index_number,
        title=entry.title,
        issuing_organ=entry.issuing_organ,
        document_number=entry.document_number,
        formed_on=entry.formed_on,
        due_on=entry.due_on,
        published_at=from_timestamp(entry.published_at),
        late=entry.late,
        body=entry.body,
    )
