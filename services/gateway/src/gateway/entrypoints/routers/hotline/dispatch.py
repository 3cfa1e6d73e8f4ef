"""What dispatching (派单) draws on: the dispatch catalogue's suggestion, the classification suggestion from
the text (分类建议), likely duplicates, the topic taxonomy and the handling units."""

from __future__ import annotations

from fastapi import APIRouter, Request
from pydantic import BaseModel, Field
from sunshine.hotline.v1 import hotline_pb2 as pb
from sunshine_kit.rpc.client import call

from gateway.entrypoints.auth import StaffCaller
from gateway.entrypoints.routers.hotline.stub import stub

router = APIRouter()


class Suggestion(BaseModel):
    lead_unit: str
    assisting_units: list[str]
    topic: str
    matched_keywords: list[str]


class ClassificationText(BaseModel):
    text: str = Field(description="The description of the call, 1 to 2000 characters")


class TopicScore(BaseModel):
    topic: str
    confidence: float


class ClassificationView(BaseModel):
    topic: str | None = Field(description="The suggested topic; null: no confident suggestion (请人工选择)")
    confidence: float = Field(description="The best topic's confidence, 0–1, also when below the threshold")
    threshold: float
    alternatives: list[TopicScore] = Field(description="The best topics, best first")
    lead_unit: str | None = Field(description="The dispatch catalogue's lead unit (主办) for the suggested topic")
    assisting_units: list[str]
    matched_keywords: list[str]


class Duplicate(BaseModel):
    ticket_id: str
    score: float
    reason: str


class TopicView(BaseModel):
    code: str
    name: str
    description: str
    group: str


class UnitView(BaseModel):
    code: str
    name: str
    kind: str
    division: str


@router.get("/tickets/{ticket_id}/dispatch-suggestion", summary="The dispatch catalogue's suggestion (派单建议)")
async def dispatch_suggestion(ticket_id: str, caller: StaffCaller, request: Request) -> Suggestion:
    reply = await call(stub(request).SuggestDispatch, pb.SuggestDispatchRequest(ticket_id=ticket_id), caller.metadata)
    return Suggestion(
        lead_unit=reply.lead_unit,
        assisting_units=list(reply.assisting_units),
        topic=reply.topic,
        matched_keywords=list(reply.matched_keywords),
    )


@router.post("/classification", summary="A suggested topic and handling unit from the text (分类建议)")
async def suggest_classification(body: ClassificationText, caller: StaffCaller, request: Request) -> ClassificationView:
    message = pb.SuggestClassificationRequest(text=body.text)
    reply = await call(stub(request).SuggestClassification, message, caller.metadata)
    return ClassificationView(
        topic=reply.topic or None,
        confidence=reply.confidence,
        threshold=reply.threshold,
        alternatives=[TopicScore(topic=s.topic, confidence=s.confidence) for s in reply.alternatives],
        lead_unit=reply.lead_unit or None,
        assisting_units=list(reply.assisting_units),
        matched_keywords=list(reply.matched_keywords),
    )


@router.get("/tickets/{ticket_id}/duplicates", summary="Likely duplicates (疑似重复), best first")
async def duplicates(ticket_id: str, caller: StaffCaller, request: Request) -> list[Duplicate]:
    reply = await call(stub(request).FindDuplicates, pb.FindDuplicatesRequest(ticket_id=ticket_id), caller.metadata)
    return [Duplicate(ticket_id=d.ticket_id, score=d.score, reason=d.reason) for d in reply.duplicates]


@router.get("/topics", summary="The topic taxonomy (public)")
async def topics(request: Request) -> list[TopicView]:
    reply = await call(stub(request).ListTopics, pb.ListTopicsRequest())
    return [TopicView(code=t.code, name=t.name, description=t.description, group=t.group) for t in reply.topics]


@router.get("/units", summary="Handling units of the dispatch catalogue")
async def units(caller: StaffCaller, request: Request) -> list[UnitView]:
    reply = await call(stub(request).ListUnits, pb.ListUnitsRequest(), caller.metadata)
    return [UnitView(code=u.code, name=u.name, kind=u.kind, division=u.division) for u in reply.units]
