"""Sync status between this stack and its children and parent, for the people who run the stack."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from sunshine_kit.auth import Role, require_read
from sunshine_kit.sync_status import sync_status

from gateway.entrypoints.auth import StaffCaller

router = APIRouter(prefix="/api/v1/sync", tags=["sync"])


@router.get(
    "/status",
    summary="Per child: reachable, active, messages behind, last acknowledged; this stack's upstream and inbox",
)
async def status(caller: StaffCaller, request: Request) -> dict[str, Any]:
    identity = request.app.state.identity
    require_read(caller.principal, identity.division, Role.STACK_OPERATOR, Role.LEADER)
    return (await sync_status(request.app.state.event_bus.client, identity)).as_dict()
