"""Override files for tests of the working-day calendar (docs/working-days.md). Test data, never official."""

from __future__ import annotations

from typing import Any

from sunshine_kit.working_days import WorkingDayCalendar


def corrected(year: int, *extra_holidays: str) -> dict[str, Any]:
    """An override file's entry for a year the chinesecalendar package covers, as the package has it with more
    days off: a later correction of an official year (as the State Council extended 春节 2020)."""
    schedule = WorkingDayCalendar().schedule(year)
    holidays = sorted({*map(str, schedule.holidays), *extra_holidays})
    return {str(year): {"holidays": holidays, "working_weekends": sorted(map(str, schedule.working_weekends))}}
