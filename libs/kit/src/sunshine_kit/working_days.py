"""Working days (工作日) for every statutory clock: weekends off, official holidays off, 调休 weekends on.

The official schedule comes from the ``chinesecalendar`` package (import ``chinese_calendar``), which covers
2004–2026. The State Council publishes next year's schedule around November, usually before the package is
updated, so operators can supply an **override file** (setting ``SUNSHINE_CALENDAR_OVERRIDE_FILE``). It is a
JSON object keyed by year; each year lists its official holiday dates (every day off of each break, weekends
included, as the State Council notice lists them) and its adjusted working weekend days (调休上班日):

    {
      "2027": {
        "holidays": ["2027-01-01", "2027-02-06", "2027-02-07"],
        "working_weekends": ["2027-02-13"]
      }
    }

Dates are ISO ``YYYY-MM-DD`` strings inside their year; working weekend days fall on a Saturday or Sunday; a
date is never both. A year in the override file replaces the package for that whole year. A year neither
covers raises :class:`CalendarNotCovered` — the calendar never guesses.

Counting convention (《政府信息公开条例》 and the hotline rules alike): the day of receipt is not counted;
counting starts the next day. ``add_working_days(start, n)`` is therefore the n-th working day after
``start``, whether or not ``start`` itself is a working day.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Annotated

import chinese_calendar
from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError

from sunshine_kit.errors import SunshineError

_SATURDAY = 5
_ONE_DAY = timedelta(days=1)


class CalendarNotCovered(SunshineError):
    """Neither the chinesecalendar package nor the operator's override file covers the year."""

    def __init__(self, year: int) -> None:
        self.year = year
        super().__init__(
            f"{year} 年的法定节假日安排未配置，请在 SUNSHINE_CALENDAR_OVERRIDE_FILE 指定的文件中补充该年的"
            f"节假日和调休上班日。 The working-day calendar does not cover {year}: add the year's holidays "
            f"and adjusted working weekends to the override file named by SUNSHINE_CALENDAR_OVERRIDE_FILE."
        )


class InvalidCalendarOverride(ValueError):
    """The operator's override file is malformed; the message names the file, the year and the field."""


@dataclass(frozen=True)
class _YearSchedule:
    holidays: frozenset[date]
    working_weekends: frozenset[date]

    def is_working_day(self, d: date) -> bool:
        return d in self.working_weekends or (d.weekday() < _SATURDAY and d not in self.holidays)


class _YearEntry(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    holidays: list[date]
    working_weekends: list[date]


_OVERRIDE_FILE = TypeAdapter(dict[Annotated[str, Field(pattern=r"^\d{4}$")], _YearEntry])


class WorkingDayCalendar:
    """The official calendar from chinesecalendar, with the operator's override file on top."""

    def __init__(self, override_file: Path | str | None = None) -> None:
        self._years = _package_schedules()
        if override_file is not None:
            self._years.update(_load_override_file(Path(override_file)))

    def covers(self, year: int) -> bool:
        return year in self._years

    def is_working_day(self, d: date) -> bool:
        if isinstance(d, datetime):
            # A datetime never equals the package's dates, so it would silently count holidays as working.
            raise TypeError("pass the local (Asia/Shanghai) date, not a datetime")
        return self._schedule(d.year).is_working_day(d)

    def add_working_days(self, start: date, n: int) -> date:
        """The n-th working day after ``start`` (the day of receipt is not counted)."""
        if n < 0:
            raise ValueError(f"n must be >= 0, got {n}")
        d = start
        for _ in range(n):
            d += _ONE_DAY
            while not self.is_working_day(d):
                d += _ONE_DAY
        return d

    def working_days_between(self, start: date, end: date) -> int:
        """Working days in (start, end]: ``working_days_between(s, add_working_days(s, n)) == n``.

        Negative when ``end`` is before ``start`` (e.g. how far past a deadline a case is).
        """
        if end < start:
            return -self.working_days_between(end, start)
        days = (start + timedelta(days=i) for i in range(1, (end - start).days + 1))
        return sum(1 for d in days if self.is_working_day(d))

    def _schedule(self, year: int) -> _YearSchedule:
        try:
            return self._years[year]
        except KeyError:
            raise CalendarNotCovered(year) from None


def _package_schedules() -> dict[int, _YearSchedule]:
    """Group the package's data by year; reading the data (not its functions) avoids NotImplementedError."""
    first = min(chinese_calendar.holidays).year
    last = max(chinese_calendar.holidays).year
    return {
        year: _YearSchedule(
            holidays=frozenset(d for d in chinese_calendar.holidays if d.year == year),
            working_weekends=frozenset(d for d in chinese_calendar.workdays if d.year == year),
        )
        for year in range(first, last + 1)
    }


def _load_override_file(path: Path) -> dict[int, _YearSchedule]:
    """Parse and check the operator's override file (format in the module docstring)."""
    try:
        entries = _OVERRIDE_FILE.validate_json(path.read_bytes())
    except OSError as exc:
        raise InvalidCalendarOverride(f"calendar override file {path}: cannot read: {exc}") from exc
    except ValidationError as exc:
        raise InvalidCalendarOverride(f"calendar override file {path}: {_describe(exc)}") from None
    schedules = {}
    for key, entry in entries.items():
        problems = _check_year(int(key), entry)
        if problems:
            raise InvalidCalendarOverride(f"calendar override file {path}: {'; '.join(problems)}")
        schedules[int(key)] = _YearSchedule(frozenset(entry.holidays), frozenset(entry.working_weekends))
    return schedules


def _check_year(year: int, entry: _YearEntry) -> list[str]:
    problems = [
        f"{year}.{field}: {d} is not in {year}"
        for field in ("holidays", "working_weekends")
        for d in getattr(entry, field)
        if d.year != year
    ]
    problems += [
        f"{year}.working_weekends: {d} is a {d:%A}, not a Saturday or Sunday"
        for d in entry.working_weekends
        if d.weekday() < _SATURDAY
    ]
    problems += [
        f"{year}.working_weekends: {d} is also listed in {year}.holidays"
        for d in sorted(set(entry.holidays) & set(entry.working_weekends))
    ]
    return problems


def _describe(exc: ValidationError) -> str:
    return "; ".join(f"{_location(error['loc'])}: {error['msg']}" for error in exc.errors())


def _location(loc: tuple[int | str, ...]) -> str:
    text = ""
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
        elif part == "[key]":
            text += " (year)"
        else:
            text += f".{part}" if text else str(part)
    return text or "top level"
