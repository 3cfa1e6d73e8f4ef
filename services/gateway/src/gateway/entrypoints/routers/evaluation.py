"""Evaluation (考核评估) indicators, for staff."""

from __future__ import annotations

from fastapi import APIRouter, Request
from pydantic import BaseModel
from sunshine.evaluation.v1 import evaluation_pb2 as pb
from sunshine_kit.rpc.client import call

from gateway.entrypoints.auth import StaffCaller

router = APIRouter(prefix="/api/v1/evaluation", tags=["evaluation"])


class IntakeCountView(BaseModel):
    division: str
    category: str
    count: int


@router.get("/intake-counts", summary="Tickets accepted per division and category (own division and below)")
async def intake_counts(caller: StaffCaller, request: Request, division: str = "") -> list[IntakeCountView]:
    message = pb.GetIntakeCountsRequest(division=division)
    reply = await call(request.app.state.services.evaluation.GetIntakeCounts, message, caller.metadata)
    return [IntakeCountView(division=c.division, category=c.category, count=c.count) for c in reply.counts]
