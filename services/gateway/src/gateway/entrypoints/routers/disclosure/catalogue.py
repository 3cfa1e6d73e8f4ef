"""The catalogue (主动公开): entries published at once or drafted first, revised, repealed or withdrawn; their
history and interpretations. Reading is public."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from fastapi import APIRouter, Request
from pydantic import BaseModel, Field
from sunshine.disclosure.v1 import disclosure_pb2 as pb
from sunshine_kit.rpc.client import call
from sunshine_kit.timestamps import from_timestamp

from gateway.entrypoints.auth import StaffCaller
from gateway.entrypoints.routers import provisional
from gateway.entrypoints.routers.disclosure.stub import stub

router = APIRouter()

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
    due_on_provisional: bool = provisional.flag()
    provisional_note: str = provisional.note_field()
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
    due_on_provisional: bool = provisional.flag()
    provisional_note: str = provisional.note_field()
    published_at: datetime
    late: bool = Field(description="Published after due_on; follows due_on when it is counted again")
    validity: str = Field(description="现行有效, 已修改 (revised later) or 已废止")


class Withdrawal(BaseModel):
    reason: str = Field(description="Why the draft will not be published")


class Repeal(BaseModel):
    repealed_on: str = Field("", description="YYYY-MM-DD; empty means today")


@router.post("/catalogue", status_code=201, summary="Publish (主动公开) a catalogue entry at once")
async def publish_entry(body: EntryBody, caller: StaffCaller, request: Request) -> EntryView:
    message = pb.PublishCatalogueEntryRequest(content=_content(body), interprets=body.interprets)
    reply = await call(stub(request).PublishCatalogueEntry, message, caller.metadata)
    return _entry_view(reply.entry)


@router.post("/catalogue/drafts", status_code=201, summary="Keep an entry as a draft (not public)")
async def create_draft(body: EntryBody, caller: StaffCaller, request: Request) -> EntryView:
    message = pb.CreateCatalogueDraftRequest(content=_content(body), interprets=body.interprets)
    reply = await call(stub(request).CreateCatalogueDraft, message, caller.metadata)
    return _entry_view(reply.entry)


@router.get("/catalogue/drafts", summary="The drafts (or the withdrawn ones), newest formed first")
async def list_drafts(caller: StaffCaller, request: Request, withdrawn: bool = False) -> list[EntryView]:
    message = pb.ListCatalogueDraftsRequest(withdrawn=withdrawn)
    reply = await call(stub(request).ListCatalogueDrafts, message, caller.metadata)
    return [_entry_view(e) for e in reply.entries]


@router.put("/catalogue/drafts/{entry_id}", summary="Replace a draft's content (drafts only; publish revisions)")
async def edit_draft(entry_id: str, body: EntryContent, caller: StaffCaller, request: Request) -> EntryView:
    message = pb.EditCatalogueDraftRequest(id=entry_id, content=_content(body))
    return _entry_view((await call(stub(request).EditCatalogueDraft, message, caller.metadata)).entry)


@router.post("/catalogue/drafts/{entry_id}/withdrawal", summary="Withdraw (撤回) a draft: kept, never published")
async def withdraw_draft(entry_id: str, body: Withdrawal, caller: StaffCaller, request: Request) -> EntryView:
    message = pb.WithdrawCatalogueDraftRequest(id=entry_id, reason=body.reason)
    return _entry_view((await call(stub(request).WithdrawCatalogueDraft, message, caller.metadata)).entry)


@router.post("/catalogue/{entry_id}/publication", summary="Publish a draft as version 1")
async def publish_draft(entry_id: str, caller: StaffCaller, request: Request) -> EntryView:
    message = pb.PublishCatalogueDraftRequest(id=entry_id)
    return _entry_view((await call(stub(request).PublishCatalogueDraft, message, caller.metadata)).entry)


@router.post("/catalogue/{entry_id}/revisions", summary="Publish a new version (the previous one becomes 已修改)")
async def revise_entry(entry_id: str, body: EntryContent, caller: StaffCaller, request: Request) -> EntryView:
    message = pb.ReviseCatalogueEntryRequest(id=entry_id, content=_content(body))
    return _entry_view((await call(stub(request).ReviseCatalogueEntry, message, caller.metadata)).entry)


@router.post("/catalogue/{entry_id}/repeal", summary="Repeal a published entry (已废止); it stays public")
async def repeal_entry(entry_id: str, body: Repeal, caller: StaffCaller, request: Request) -> EntryView:
    message = pb.RepealCatalogueEntryRequest(id=entry_id, repealed_on=body.repealed_on)
    return _entry_view((await call(stub(request).RepealCatalogueEntry, message, caller.metadata)).entry)


@router.get("/catalogue/{entry_id}", summary="One published or repealed entry (public)")
async def get_entry(entry_id: str, request: Request) -> EntryView:
    reply = await call(stub(request).GetCatalogueEntry, pb.GetCatalogueEntryRequest(id=entry_id))
    return _entry_view(reply.entry)


@router.get("/catalogue/{entry_id}/history", summary="Every published version, oldest first (public)")
async def entry_history(entry_id: str, request: Request) -> list[VersionView]:
    reply = await call(stub(request).GetCatalogueHistory, pb.GetCatalogueHistoryRequest(id=entry_id))
    return [
        VersionView(
            **_content_fields(v.content),
            version=v.version,
            due_on=v.due_on,
            due_on_provisional=v.due_on_provisional,
            provisional_note=provisional.note(v.due_on_provisional),
            published_at=from_timestamp(v.published_at),
            late=v.late,
            validity=v.validity,
        )
        for v in reply.versions
    ]


@router.get("/catalogue/{entry_id}/interpretations", summary="The policy's published interpretations (public)")
async def interpretations(entry_id: str, request: Request) -> list[EntryView]:
    reply = await call(stub(request).ListInterpretations, pb.ListInterpretationsRequest(policy_id=entry_id))
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
        due_on_provisional=entry.due_on_provisional,
        provisional_note=provisional.note(entry.due_on_provisional),
        published_at=from_timestamp(entry.published_at) if entry.HasField("published_at") else None,
        late=entry.late,
        validity=entry.validity,
        repealed_on=entry.repealed_on,
        interprets=entry.interprets,
        withdrawn_on=entry.withdrawn_on,
        withdrawal_reason=entry.withdrawal_reason,
    )
