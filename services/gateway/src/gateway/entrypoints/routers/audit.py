"""The audit trail of each service of this stack, for auditors (审计): who changed what, who read personal data."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Request
from pydantic import BaseModel, Field
from sunshine.audit.v1 import audit_pb2 as pb
from sunshine_kit.rpc.client import call
from sunshine_kit.timestamps import from_timestamp, to_timestamp

from gateway.entrypoints.auth import StaffCaller
from gateway.entrypoints.contract import Moment, Offset

router = APIRouter(prefix="/api/v1/audit", tags=["audit"])
ServiceName = Literal["disclosure", "hotline", "evaluation"]


class AuditEntryView(BaseModel):
    seq: int
    at: datetime
    subject: str
    roles: list[str]
    division: str
    action: str
    record: str
    call: str
    client_address: str
    previous_hash: str
    hash: str


class VerificationView(BaseModel):
    entries: int
    intact: bool
    first_broken_seq: int
    problem: str
    head_seq: int
    head_hash: str


@router.get("/{service}/entries", summary="Audit entries in the order written (auditor)")
async def entries(
    service: ServiceName,
    caller: StaffCaller,
    request: Request,
    subject: str = "",
    record: str = "",
    since: Moment | None = None,
    until: Moment | None = None,
    after_seq: Offset = 0,
    limit: Annotated[int, Field(ge=0, le=1000, description="1–1000; 0 means 100")] = 0,
) -> list[AuditEntryView]:
    message = pb.ListAuditEntriesRequest(subject=subject, record=record, after_seq=after_seq, limit=limit)
    if since is not None:
        message.since.CopyFrom(to_timestamp(since))
    if until is not None:
        message.until.CopyFrom(to_timestamp(until))
    reply = await call(request.app.state.services.audit[service].ListAuditEntries, message, caller.metadata)
    return [_entry(e) for e in reply.entries]


@router.get("/{service}/verification", summary="Recompute the audit trail's hash chain (auditor)")
async def verification(service: ServiceName, caller: StaffCaller, request: Request) -> VerificationView:
    stub = request.app.state.services.audit[service]
    reply = await call(stub.VerifyAuditTrail, pb.VerifyAuditTrailRequest(), caller.metadata)
    return VerificationView(
        entries=reply.entries,
        intact=reply.intact,
        first_broken_seq=reply.first_broken_seq,
        problem=reply.problem,
        head_seq=reply.head_seq,
        head_hash=reply.head_hash,
    )


def _entry(entry: pb.AuditEntry) -> AuditEntryView:
    return AuditEntryView(
        seq=entry.seq,
        at=from_timestamp(entry.at),
        subject=entry.subject,
        roles=list(entry.roles),
        division=entry.division,
        action=entry.action,
        record=entry.record,
        call=entry.call,
        client_address=entry.client_address,
        previous_hash=entry.previous_hash,
        hash=entry.hash,
    )
