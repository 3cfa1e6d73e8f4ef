"""protobuf messages <-> domain values for hotspots and issue lists."""

from __future__ import annotations

from datetime import date

from sunshine.hotline.v1 import hotline_pb2 as pb
from sunshine_kit.errors import ValidationFailed

from hotline.domain.hotspots import Hotspots
from hotline.domain.issue_list import IssueList
from hotline.domain.vocabulary import Category
from hotline.service.hotspots import HotspotPolicy, HotspotQuery


def day(text: str, field: str) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValidationFailed.field(field, f"{text!r} is not a day (YYYY-MM-DD)") from None


def hotspot_query(request: pb.GetHotspotsRequest) -> HotspotQuery:
    categories = []
    for value in request.categories:
        name = pb.Category.Name(value).removeprefix("CATEGORY_")
        if name not in Category.__members__:
            raise ValidationFailed.field("categories", f"{name} is not a category")
        categories.append(Category[name])
    return HotspotQuery(day(request.from_day, "from_day"), day(request.to_day, "to_day"), tuple(categories))


def hotspots(found: Hotspots, policy: HotspotPolicy) -> pb.GetHotspotsResponse:
    return pb.GetHotspotsResponse(
        from_day=found.period.first.isoformat(),
        to_day=found.period.last.isoformat(),
        by_hour=[
            pb.HourCount(topic=topic, place_division=place, hour=hour, count=n)
            for (topic, place, hour), n in found.by_hour.items()
        ],
        by_day=[
            pb.DayCount(topic=topic, place_division=place, day=d.isoformat(), count=n)
            for (topic, place, d), n in found.by_day.items()
        ],
        hourly_totals=found.hourly_totals,
        peak_hours=found.peak_hours,
        spikes=[
            pb.Spike(
                topic=s.topic,
                place_division=s.place_division,
                day=s.day.isoformat(),
                count=s.count,
                baseline_mean=s.baseline_mean,
                baseline_stddev=s.baseline_stddev,
                threshold=s.threshold,
            )
            for s in found.spikes
        ],
        parameters=pb.HotspotParameters(
            baseline_days=policy.spikes.baseline_days,
            k=policy.spikes.k,
            min_count=policy.spikes.min_count,
            peak_hours=policy.peak_hours,
        ),
    )


def issue_list(found: IssueList) -> pb.IssueList:
    return pb.IssueList(
        unit=found.unit,
        unit_name=found.unit_name,
        from_day=found.period.first.isoformat(),
        to_day=found.period.last.isoformat(),
        tickets=found.tickets,
        open=found.open,
        overdue=found.overdue,
        topics=[
            pb.TopicIssues(topic=t.topic, tickets=t.tickets, open=t.open, overdue=t.overdue, summaries=t.summaries)
            for t in found.topics
        ],
    )
