"""Inputs as the contracts (proto/) carry them: integers within int32, days as YYYY-MM-DD, moments within
what a protobuf Timestamp holds.

Every integer the gateway takes in goes into a protobuf int32 field, and a value outside int32 cannot even be
put into the request message. So every integer input is declared with one of these types: FastAPI refuses a
value outside with 400 naming the field, and the OpenAPI document states the range. The narrower ranges a
service decides (the years of an annual report, at most 100 search hits) stay the service's to check, after
the caller's role.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from typing import Annotated

from pydantic import AfterValidator, BeforeValidator, Field, Strict

INT32_MIN, INT32_MAX = -(2**31), 2**31 - 1

# Path and query parameters, which arrive as text.
Int32 = Annotated[int, Field(ge=INT32_MIN, le=INT32_MAX)]
# At most this many in a list: one at least.
Limit = Annotated[int, Field(ge=1, le=INT32_MAX)]
# Where a list starts.
Offset = Annotated[int, Field(ge=0, le=INT32_MAX)]

# How many of something, in a JSON body: never negative, and a JSON number (pydantic would take "5" or true).
Count = Annotated[int, Strict(), Field(ge=0, le=INT32_MAX)]


def _iso_day(value: object) -> object:
    # Pydantic would read 0 or "1700000000" as a Unix time; a day is YYYY-MM-DD and nothing else.
    if not isinstance(value, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        raise ValueError("a date YYYY-MM-DD")
    return value


def _iso_moment(value: object) -> object:
    if not isinstance(value, str) or re.fullmatch(r"[\d.eE+-]*", value):
        raise ValueError("a date and time, ISO 8601 (2026-12-03T09:30:00+08:00)")
    return value


def _within_timestamp(moment: datetime) -> datetime:
    try:
        moment.astimezone(UTC) if moment.tzinfo else moment
    except OverflowError:
        raise ValueError("a time between the years 1 and 9999 in UTC") from None
    return moment


Day = Annotated[date, BeforeValidator(_iso_day)]
Moment = Annotated[datetime, BeforeValidator(_iso_moment), AfterValidator(_within_timestamp)]
