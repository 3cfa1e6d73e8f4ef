"""protobuf Timestamp <-> aware UTC datetime."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

from google.protobuf.timestamp_pb2 import Timestamp


def to_timestamp(moment: datetime) -> Timestamp:
    stamp = Timestamp()
    stamp.FromDatetime(moment)
    return stamp


def from_timestamp(stamp: Timestamp) -> datetime:
    return stamp.ToDatetime(tzinfo=UTC)


# Times are stored in UTC and presented, and counted in working days, in China Standard Time.
CHINA_TIME = timezone(timedelta(hours=8), "Asia/Shanghai")


def china_date(moment: datetime) -> date:
    """The calendar day in China that an aware moment falls on."""
    return moment.astimezone(CHINA_TIME).date()


def as_utc(moment: datetime) -> datetime:
    """SQLite hands back naive datetimes; everything is stored in UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
