"""Hotspots (热点) and a handling unit's issue list (问题清单), for staff."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal
from urllib.parse import quote

from fastapi import APIRouter, Query, Request, Response
from pydantic import BaseModel, Field
from sunshine.hotline.v1 import hotline_pb2 as pb
from sunshine_kit.rpc.client import call

from gateway.entrypoints.auth import StaffCaller
from gateway.entrypoints.contract import Day
from gateway.entrypoints.routers.hotline.models import CategoryCode
from gateway.entrypoints.routers.hotline.stub import stub

router = APIRouter()


class HourCount(BaseModel):
    topic: str
    place_division: str
    hour: int = Field(description="0–23, China time")
    count: int


class DayCount(BaseModel):
    topic: str
    place_division: str
    day: date
    count: int


class SpikeView(BaseModel):
    topic: str
    place_division: str
    day: date
    count: int
    baseline_mean: float
    baseline_stddev: float
    threshold: float = Field(description="baseline_mean + k × baseline_stddev")


class HotspotParameters(BaseModel):
    baseline_days: int
    k: float
    min_count: int
    peak_hours: int


class HotspotsView(BaseModel):
    from_day: date
    to_day: date
    by_hour: list[HourCount]
    by_day: list[DayCount]
    hourly_totals: list[int] = Field(description="24 values: tickets per hour of day (China time)")
    peak_hours: list[int]
    spikes: list[SpikeView] = Field(description="Topics at a place above their trailing baseline on to_day")
    parameters: HotspotParameters


class TopicIssuesView(BaseModel):
    topic: str
    tickets: int
    open: int
    overdue: int
    summaries: list[str] = Field(description="Recent non-confidential descriptions, caller data masked")


class IssueListView(BaseModel):
    unit: str
    unit_name: str
    from_day: date
    to_day: date
    tickets: int
    open: int
    overdue: int
    topics: list[TopicIssuesView]


@router.get("/hotspots", summary="Hotspots (热点): counts by topic, place, hour and day; peak hours; spikes")
async def hotspots(
    caller: StaffCaller,
    request: Request,
    from_day: Annotated[Day | None, Query(alias="from", description="China day; default 6 days before `to`")] = None,
    to_day: Annotated[Day | None, Query(alias="to", description="China day; default today")] = None,
    category: Annotated[list[CategoryCode], Query()] = [],  # noqa: B006
) -> HotspotsView:
    message = pb.GetHotspotsRequest(
        from_day=_day(from_day),
        to_day=_day(to_day),
        categories=[pb.Category.Value(f"CATEGORY_{c.upper()}") for c in category],
    )
    reply = await call(stub(request).GetHotspots, message, caller.metadata)
    return HotspotsView(
        from_day=date.fromisoformat(reply.from_day),
        to_day=date.fromisoformat(reply.to_day),
        by_hour=[
            HourCount(topic=h.topic, place_division=h.place_division, hour=h.hour, count=h.count) for h in reply.by_hour
        ],
        by_day=[
            DayCount(topic=d.topic, place_division=d.place_division, day=date.fromisoformat(d.day), count=d.count)
            for d in reply.by_day
        ],
        hourly_totals=list(reply.hourly_totals),
        peak_hours=list(reply.peak_hours),
        spikes=[
            SpikeView(
                topic=s.topic,
                place_division=s.place_division,
                day=date.fromisoformat(s.day),
                count=s.count,
                baseline_mean=s.baseline_mean,
                baseline_stddev=s.baseline_stddev,
                threshold=s.threshold,
            )
            for s in reply.spikes
        ],
        parameters=HotspotParameters(
            baseline_days=reply.parameters.baseline_days,
            k=reply.parameters.k,
            min_count=reply.parameters.min_count,
            peak_hours=reply.parameters.peak_hours,
        ),
    )


@router.get(
    "/issue-list",
    summary="问题清单 of one handling unit for a period, as JSON or XLSX (?format=xlsx)",
    response_model=IssueListView,
)
async def issue_list(
    unit: str,
    caller: StaffCaller,
    request: Request,
    from_day: Annotated[Day | None, Query(alias="from", description="China day; default 29 days before `to`")] = None,
    to_day: Annotated[Day | None, Query(alias="to", description="China day; default today")] = None,
    format: Literal["json", "xlsx"] = "json",
) -> IssueListView | Response:
    fields = {"unit": unit, "from_day": _day(from_day), "to_day": _day(to_day)}
    if format == "xlsx":
        exported = await call(stub(request).ExportIssueList, pb.ExportIssueListRequest(**fields), caller.metadata)
        return Response(exported.content, media_type=exported.content_type, headers=_attachment(exported.filename))
    found = (await call(stub(request).GetIssueList, pb.GetIssueListRequest(**fields), caller.metadata)).issue_list
    return IssueListView(
        unit=found.unit,
        unit_name=found.unit_name,
        from_day=date.fromisoformat(found.from_day),
        to_day=date.fromisoformat(found.to_day),
        tickets=found.tickets,
        open=found.open,
        overdue=found.overdue,
        topics=[
            TopicIssuesView(
                topic=t.topic, tickets=t.tickets, open=t.open, overdue=t.overdue, summaries=list(t.summaries)
            )
            for t in found.topics
        ],
    )


def _day(day: date | None) -> str:
    return day.isoformat() if day else ""


def _attachment(filename: str) -> dict[str, str]:
    """A Chinese filename (RFC 6266 filename*), with an ASCII fallback for old clients."""
    fallback = "issue-list" + filename.encode("ascii", "ignore").decode()
    return {"Content-Disposition": f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename)}"}
