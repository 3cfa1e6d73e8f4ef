"""Handling time limits (办理时限) per category, in working days on the stack's working-day calendar.

Limits are set locally, so they are configuration; these defaults follow the examples in domain.md §2
(咨询/求助 3 working days, 投诉/举报 15, others 10). A ticket is due at the end of its last working day,
China time.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, time
from typing import TYPE_CHECKING

from sunshine_kit.timestamps import CHINA_TIME, china_date
from sunshine_kit.working_days import WorkingDayCalendar

if TYPE_CHECKING:
    from hotline.domain.ticket import Category


def default_limits() -> dict[str, int]:
    return {"INQUIRY": 3, "HELP": 3, "COMPLAINT": 15, "REPORT": 15, "SUGGESTION": 10, "PRAISE": 10}


@dataclass(frozen=True)
class TimeLimits:
    calendar: WorkingDayCalendar
    working_days: dict[str, int] = field(default_factory=default_limits)

    def due_at(self, category: Category, accepted_at: datetime) -> datetime:
        last_day = self.calendar.add_working_days(china_date(accepted_at), self.working_days[category.name])
        return datetime.combine(last_day, time(23, 59, 59), CHINA_TIME).astimezone(UTC)
