"""What the operator must know about the working-day calendar: this year's and next year's source, and from
1 October a warning when next year is not officially covered (docs/working-days.md). Shown in the service log
at start, to the stack operator at `GET /api/v1/stack/calendar`, and by the CLI `sunshine-calendar-check`."""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict, dataclass
from datetime import date, datetime
from pathlib import Path

from sunshine_kit.settings import StackSettings
from sunshine_kit.timestamps import china_date
from sunshine_kit.working_days import InvalidCalendarOverride, WorkingDayCalendar


@dataclass(frozen=True)
class YearCoverage:
    year: int
    source: str  # "chinesecalendar", "override file" or "provisional"
    official: bool


@dataclass(frozen=True)
class CalendarCoverage:
    today: date
    override_file: str  # empty when none is configured
    years: tuple[YearCoverage, ...]  # this year and next
    warnings: tuple[str, ...]

    def as_dict(self) -> dict[str, object]:
        return {**asdict(self), "today": self.today.isoformat(), "years": [asdict(y) for y in self.years]}


def coverage(calendar: WorkingDayCalendar, today: date) -> CalendarCoverage:
    years = tuple(YearCoverage(y, calendar.source(y), calendar.covers(y)) for y in (today.year, today.year + 1))
    warnings = tuple(uncovered_warning(year) for year in calendar.uncovered_years(today))
    return CalendarCoverage(today, str(calendar.override_file or ""), years, warnings)


def uncovered_warning(year: int) -> str:
    return (
        f"{year} 年的放假安排尚未配置：跨入该年的期限按法定节假日预计计算并标注「预计」。国务院办公厅公布 {year} 年"
        f"放假安排后，请将其写入 SUNSHINE_CALENDAR_OVERRIDE_FILE 指定的文件，各服务会自动重算。 "
        f"The working-day calendar does not officially cover {year}: deadlines running into it are provisional. "
        f"Once the State Council's General Office publishes the {year} arrangement, write it into the override "
        f"file named by SUNSHINE_CALENDAR_OVERRIDE_FILE (docs/working-days.md); the services recompute by themselves."
    )


def main() -> None:
    """`sunshine-calendar-check`: is this year and next officially covered? Exit 0 yes, 1 a warning, 2 a bad
    override file."""
    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("--override-file", type=Path, help="default: SUNSHINE_CALENDAR_OVERRIDE_FILE")
    parser.add_argument("--today", type=date.fromisoformat, help="YYYY-MM-DD; default: today in China")
    parser.add_argument("--json", action="store_true", help="print JSON instead of text")
    args = parser.parse_args()
    override_file = args.override_file or StackSettings().calendar_override_file
    try:
        calendar = WorkingDayCalendar(override_file)
    except InvalidCalendarOverride as error:
        print(error, file=sys.stderr)
        sys.exit(2)
    report = coverage(calendar, args.today or china_date(datetime.now().astimezone()))
    print(json.dumps(report.as_dict(), ensure_ascii=False, indent=2) if args.json else _text(report))
    sys.exit(1 if report.warnings else 0)


def _text(report: CalendarCoverage) -> str:
    lines = [f"override file: {report.override_file or '(none)'}"]
    lines += [f"{y.year}: {y.source}" for y in report.years]
    return "\n".join(lines + [f"WARNING: {warning}" for warning in report.warnings])
