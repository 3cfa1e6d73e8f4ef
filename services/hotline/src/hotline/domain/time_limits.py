"""Time limits (时限) for signing (签收) and handling (办理), per urgency and category.

Limits are set locally, so they are configuration (HotlineSettings.time_limits, docs/hotline.md); the defaults
follow domain.md §2: sign within 1 working day; handle 咨询/求助 in 3 working days, 投诉/举报 in 15, the rest
in 10; urgent (紧急) matters are signed within 1 hour and handled within 24 hours, on the clock (7×24).
A limit in working days ends at 23:59:59 China time of the n-th working day after the start (the start day is
not counted); a limit in hours is plain elapsed time. A due time counted through a year whose holiday
arrangement is not published yet is provisional (预计, docs/working-days.md).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta

from sunshine_kit.timestamps import CHINA_TIME, china_date
from sunshine_kit.working_days import WorkingDayCalendar

from hotline.domain.vocabulary import Category, Urgency

_LIMIT = re.compile(r"^(\d+)([dh])$")
ANY_CATEGORY = "*"


@dataclass(frozen=True)
class Due:
    """When a limit ends; `provisional` when its working days ran through a year without an official
    arrangement (never for a limit in hours, nor for a time a person chose). `working_days`: the count it was
    counted with, kept so that it can be counted again when the calendar changes; None when it was not counted
    here in working days (a limit in hours, a time a person chose, the origin's due time)."""

    at: datetime
    provisional: bool = False
    working_days: int | None = None


@dataclass(frozen=True)
class Limit:
    """'15d' = 15 working days, '24h' = 24 hours."""

    amount: int
    unit: str

    @classmethod
    def parse(cls, text: str) -> Limit:
        match = _LIMIT.match(text.strip())
        if match is None or int(match.group(1)) == 0:
            raise ValueError(f"time limit {text!r}: write a positive number of working days or hours, e.g. 15d, 4h")
        return cls(int(match.group(1)), match.group(2))

    def ends(self, start: datetime, calendar: WorkingDayCalendar) -> Due:
        if self.unit == "h":
            return Due(start + timedelta(hours=self.amount))
        return working_days_from(start, self.amount, calendar)


def working_days_from(start: datetime, working_days: int, calendar: WorkingDayCalendar) -> Due:
    """The end (23:59:59 China time) of the n-th working day after the day of `start`."""
    first_day = china_date(start)
    last_day = calendar.add_working_days(first_day, working_days)
    at = datetime.combine(last_day, time(23, 59, 59), CHINA_TIME).astimezone(UTC)
    return Due(at, calendar.provisional_between(first_day, last_day), working_days)


def default_handling() -> dict[str, dict[str, str]]:
    normal = {"INQUIRY": "3d", "HELP": "3d", "COMPLAINT": "15d", "REPORT": "15d", "SUGGESTION": "10d", "PRAISE": "10d"}
    return {"NORMAL": normal, "URGENT": {ANY_CATEGORY: "24h"}}


def default_signing() -> dict[str, str]:
    return {"NORMAL": "1d", "URGENT": "1h"}


@dataclass(frozen=True)
class TimeLimits:
    calendar: WorkingDayCalendar
    handling: dict[str, dict[str, str]] = field(default_factory=default_handling)
    signing: dict[str, str] = field(default_factory=default_signing)

    def __post_init__(self) -> None:
        for urgency in Urgency:
            for category in Category:
                self._handling_limit(urgency, category)
            Limit.parse(self.signing[urgency.name])

    def due_at(self, category: Category, urgency: Urgency, start: datetime) -> Due:
        """When handling must be finished (办结时限), counted from acceptance or a reopening."""
        return self._handling_limit(urgency, category).ends(start, self.calendar)

    def sign_due_at(self, urgency: Urgency, dispatched_at: datetime) -> Due:
        return Limit.parse(self.signing[urgency.name]).ends(dispatched_at, self.calendar)

    def _handling_limit(self, urgency: Urgency, category: Category) -> Limit:
        per_category = self.handling.get(urgency.name, {})
        text = per_category.get(category.name, per_category.get(ANY_CATEGORY))
        if text is None:
            raise ValueError(f"time limits: no handling limit for {urgency.name} {category.name}")
        return Limit.parse(text)
