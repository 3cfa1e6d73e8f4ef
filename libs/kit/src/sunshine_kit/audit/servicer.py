"""AuditService over gRPC, served by every service for its own trail; only auditors read it."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sunshine.audit.v1 import audit_pb2 as pb
from sunshine.audit.v1 import audit_pb2_grpc

from sunshine_kit.audit.trail import DEFAULT_LIST, MAX_LIST, AuditEntry, AuditQuery, AuditTrail
from sunshine_kit.auth import Role, require_read
from sunshine_kit.errors import ValidationFailed
from sunshine_kit.rpc.principal import require_principal
from sunshine_kit.timestamps import from_timestamp, to_timestamp

SERVICE_NAME = pb.DESCRIPTOR.services_by_name["AuditService"].full_name
add_to_server = audit_pb2_grpc.add_AuditServiceServicer_to_server


class AuditServicer(audit_pb2_grpc.AuditServiceServicer):
    def __init__(self, trail: AuditTrail, sessions: async_sessionmaker[AsyncSession], division: str) -> None:
        self._trail = trail
        self._sessions = sessions
        self._division = division

    async def ListAuditEntries(
        self, request: pb.ListAuditEntriesRequest, context: object
    ) -> pb.ListAuditEntriesResponse:
        require_read(require_principal(), self._division, Role.AUDITOR)
        query = _query(request)
        async with self._sessions() as session:
            entries = await self._trail.entries(session, query)
        return pb.ListAuditEntriesResponse(entries=[_message(e) for e in entries])

    async def VerifyAuditTrail(
        self, request: pb.VerifyAuditTrailRequest, context: object
    ) -> pb.VerifyAuditTrailResponse:
        require_read(require_principal(), self._division, Role.AUDITOR)
        async with self._sessions() as session:
            found = await self._trail.verify(session)
        return pb.VerifyAuditTrailResponse(
            entries=found.entries,
            intact=found.intact,
            first_broken_seq=found.first_broken_seq,
            problem=found.problem,
            head_seq=found.head_seq,
            head_hash=found.head_hash,
        )


def _query(request: pb.ListAuditEntriesRequest) -> AuditQuery:
    if not 0 <= request.limit <= MAX_LIST:
        raise ValidationFailed.field("limit", f"0 (the default, {DEFAULT_LIST}) to {MAX_LIST}")
    if request.after_seq < 0:
        raise ValidationFailed.field("after_seq", "0 or more")
    return AuditQuery(
        subject=request.subject.strip(),
        record=request.record.strip(),
        since=from_timestamp(request.since) if request.HasField("since") else None,
        until=from_timestamp(request.until) if request.HasField("until") else None,
        after_seq=request.after_seq,
        limit=request.limit or DEFAULT_LIST,
    )


def _message(entry: AuditEntry) -> pb.AuditEntry:
    return pb.AuditEntry(
        seq=entry.seq,
        at=to_timestamp(entry.at),
        subject=entry.subject,
        roles=[r for r in entry.roles.split(",") if r],
        division=entry.division,
        action=entry.action,
        record=entry.record,
        call=entry.call,
        client_address=entry.client_address,
        previous_hash=entry.previous_hash,
        hash=entry.hash,
    )
