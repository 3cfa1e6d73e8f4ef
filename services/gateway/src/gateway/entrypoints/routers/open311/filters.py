"""GET requests.{fmt}: the specification's filters as the hotline's ticket list query.

Dates are w3 date-times with a zone; the window is at most 90 days (the specification's own limit): the last
90 days by default, 90 days before end_date or after start_date when only one is given. A date outside 1970–8999
is refused (400) rather than overflowing the arithmetic or the protobuf timestamp.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sunshine.hotline.v1 import hotline_pb2 as pb
from sunshine_kit.timestamps import to_timestamp

from gateway.entrypoints.routers.open311.rendering import Open311Error

SPAN = timedelta(days=90)
EARLIEST = datetime(1970, 1, 1, tzinfo=UTC)
LATEST = datetime(9000, 1, 1, tzinfo=UTC)
MAX_REQUESTS = 1000
_OPENNESS = {frozenset({"open"}): pb.OPENNESS_OPEN, frozenset({"closed"}): pb.OPENNESS_CLOSED}


def window(start_date: str | None, end_date: str | None, now: datetime) -> tuple[datetime, datetime]:
    start, end = _moment(start_date, "start_date"), _moment(end_date, "end_date")
    if start is None:
        end = end or now
        start = end - SPAN
    elif end is None:
        end = start + SPAN
    if start > end:
        raise Open311Error(400, "start_date must not be after end_date")
    if end - start > SPAN:
        raise Open311Error(400, "start_date and end_date may not span more than 90 days")
    return start, end


def openness(status: str | None) -> pb.Openness.ValueType:
    wanted = frozenset(s.strip() for s in (status or "").split(",") if s.strip())
    if wanted - {"open", "closed"}:
        raise Open311Error(400, "status must be open, closed or both (comma-separated)")
    return _OPENNESS.get(wanted, pb.OPENNESS_UNSPECIFIED)  # none or both: every ticket


def by_numbers(service_request_id: str) -> pb.ListTicketsRequest | None:
    """`service_request_id` (comma-separated) overrides every other filter, as the specification says."""
    numbers = [n.strip() for n in service_request_id.split(",") if n.strip()]
    return pb.ListTicketsRequest(numbers=numbers, limit=MAX_REQUESTS) if numbers else None


def in_window(start: datetime, end: datetime, state: pb.Openness.ValueType, topics: list[str]) -> pb.ListTicketsRequest:
    return pb.ListTicketsRequest(
        openness=state,
        topics=topics,
        accepted_from=to_timestamp(start),
        accepted_until=to_timestamp(end),
        limit=MAX_REQUESTS,
    )


def _moment(text: str | None, name: str) -> datetime | None:
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        raise Open311Error(400, f"{name} must be a w3 date-time, e.g. 2010-01-01T00:00:00Z") from None
    if moment.tzinfo is None:
        raise Open311Error(400, f"{name} must include a time zone (Z or ±hh:mm)")
    try:
        moment = moment.astimezone(UTC)
    except OverflowError:
        moment = None
    if moment is None or not EARLIEST <= moment < LATEST:
        raise Open311Error(400, f"{name} must lie between 1970-01-01 and 8999-12-31")
    return moment
