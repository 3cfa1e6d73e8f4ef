"""Working days (工作日) for every statutory clock: weekends off, official holidays off, 调休 weekends on.

**Official years** come from the ``chinesecalendar`` package (import ``chinese_calendar``, which covers 2004–2026
at the version locked) and from the operator's **override file** (``SUNSHINE_CALENDAR_OVERRIDE_FILE``), a JSON
object keyed by year; each year lists its official holiday dates (every day off of each break, weekends
included, as the State Council notice lists them) and its adjusted working weekend days (调休上班日):

    {
      "2027": {
        "holidays": ["2027-01-01", "2027-02-06", "2027-02-07"],
        "working_weekends": ["2027-02-13"]
      }
    }

Dates are ISO ``YYYY-MM-DD`` strings inside their year; working weekend days fall on a Saturday or Sunday; a
date is never both. A year in the override file replaces the package for that whole year.

**Any other year is provisional** (预计): the State Council's yearly arrangement (bridging days, 调休 weekends) is
not known yet, but the statutory holidays are fixed by law (《全国年节及纪念日放假办法》, as revised in 2024): 元旦 1
day, 春节 4 (除夕 and 初一–初三), 清明 1, 劳动节 2, 端午 1, 中秋 1, 国庆 3, with the lunar dates from the
``holidays`` package's China calendar, plus one make-up day (补假) on the next working day for each of them that
falls on a Saturday or Sunday (Art. 6 of the same measures). A provisional year has no 调休 weekends. So no clock
ever fails for a missing year; ``provisional_between`` tells a result that depended on such a year.

Counting convention (《政府信息公开条例》 and the hotline rules alike): the day of receipt is not counted;
counting starts the next day. ``add_working_days(start, n)`` is therefore the n-th working day after
``start``, whether or not ``start`` itself is a working day.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Annotated

import chinese_calendar
from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError

_SATURDAY = 5
_ONE_DAY = timedelta(days=1)
# From this month on, next year's arrangement is due: the State Council publishes it around November.
WARN_FROM_MONTH = 10
# Shown beside a provisional date wherever people read it.
PROVISIONAL_NOTE = "预计，待国务院办公厅公布放假安排后重算"


class InvalidCalendarOverride(ValueError):
    """The operator's override file is malformed; the message names the file, the year and the field."""


@dataclass(frozen=True)
class YearSchedule:
    holidays: frozenset[date]
    working_weekends: frozenset[date]
    provisional: bool = False

    def is_working_day(self, d: date) -> bool:
        return d in self.working_weekends or (d.weekday() < _SATURDAY and d not in self.holidays)

    @property
    def fingerprint(self) -> str:
        """The schedule in 64 hex digits: equal for equal schedules, whichever source gave them."""
        days = [*(f"-{d}" for d in sorted(self.holidays)), *(f"+{d}" for d in sorted(self.working_weekends))]
        return hashlib.sha256(" ".join(days).encode()).hexdigest()


class _YearEntry(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    holidays: list[date]
    working_weekends: list[date]


_OVERRIDE_FILE = TypeAdapter(dict[Annotated[str, Field(pattern=r"^\d{4}$")], _YearEntry])


class WorkingDayCalendar:
    """The official calendar (chinesecalendar, the operator's override file on top), provisional beyond it.

    ``reload()`` re-reads the override file while the service runs; ``use_package=False`` ignores the package,
    so that only the override file is official (tests compare the provisional rule with official years).
    """

    def __init__(self, override_file: Path | str | None = None, *, use_package: bool = True) -> None:
        self.override_file = Path(override_file) if override_file is not None else None
        self._package = _package_schedules() if use_package else {}
        self._overrides = _load_override_file(self.override_file) if self.override_file else {}
        self._provisional: dict[int, YearSchedule] = {}

    def covers(self, year: int) -> bool:
        """Whether the year's schedule is official (the package or the override file)."""
        return year in self._overrides or year in self._package

    def fingerprints(self) -> dict[int, str]:
        """The official years (the package's and the override file's) and their schedules' fingerprints."""
        return {year: self.schedule(year).fingerprint for year in self._package.keys() | self._overrides.keys()}

    def is_provisional(self, year: int) -> bool:
        return not self.covers(year)

    def source(self, year: int) -> str:
        """Where the year's schedule comes from: the override file, the chinesecalendar package, or the
        provisional rule."""
        if year in self._overrides:
            return "override file"
        return "chinesecalendar" if year in self._package else "provisional"

    def provisional_between(self, start: date, end: date) -> bool:
        """Whether counting the days between ``start`` and ``end`` (either order) used a provisional year."""
        low, high = sorted((start, end))
        if low == high:
            return False
        return any(self.is_provisional(year) for year in range((low + _ONE_DAY).year, high.year + 1))

    def uncovered_years(self, today: date) -> list[int]:
        """This year if it is provisional, and from 1 October next year too: what the operator must supply."""
        years = [today.year] if self.is_provisional(today.year) else []
        if today.month >= WARN_FROM_MONTH and self.is_provisional(today.year + 1):
            years.append(today.year + 1)
        return years

    def is_working_day(self, d: date) -> bool:
        if isinstance(d, datetime):
            # A datetime never equals the package's dates, so it would silently count holidays as working.
            raise TypeError("pass the local (Asia/Shanghai) date, not a datetime")
        return self.schedule(d.year).is_working_day(d)

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

    def schedule(self, year: int) -> YearSchedule:
        official = self._overrides.get(year) or self._package.get(year)
        if official is not None:
            return official
        if year not in self._provisional:
            self._provisional[year] = provisional_schedule(year)
        return self._provisional[year]

    def reload(self) -> frozenset[int]:
        """Re-read the override file; returns the years whose schedule changed. A malformed file raises
        InvalidCalendarOverride and the calendar keeps the schedule it had."""
        if self.override_file is None:
            return frozenset()
        overrides = _load_override_file(self.override_file)
        candidates = set(overrides) | set(self._overrides)
        before = {year: self.schedule(year) for year in candidates}
        self._overrides = overrides
        return frozenset(year for year in candidates if self.schedule(year) != before[year])


def provisional_schedule(year: int) -> YearSchedule:
    """The statutory days off of a year without an official arrangement, and a make-up day (补假) for each that
    falls on a weekend: the next weekday that is neither statutory nor already a make-up day.

    ``observed=False`` keeps the package's own make-up days and its published arrangements (its special
    holidays) out: only the statutory days remain, whatever the package knows about the year."""
    # Imported here: the package loads every country's module (1–3 s, bench/working_days.py), which only a
    # process that counts into a provisional year needs.
    import holidays

    statutory = set(holidays.China(years=year, categories=(holidays.PUBLIC,), observed=False))
    make_up: set[date] = set()
    for day in sorted(d for d in statutory if d.weekday() >= _SATURDAY):
        candidate = day + _ONE_DAY
        while candidate.weekday() >= _SATURDAY or candidate in statutory or candidate in make_up:
            candidate += _ONE_DAY
        make_up.add(candidate)
    return YearSchedule(frozenset(statutory | make_up), frozenset(), provisional=True)


def _package_schedules() -> dict[int, YearSchedule]:
    """Group the package's data by year; reading the data (not its functions) avoids NotImplementedError."""
    first = min(chinese_calendar.holidays).year
    last = max(chinese_calendar.holidays).year
    return {
        year: YearSchedule(
            holidays=frozenset(d for d in chinese_calendar.holidays if d.year == year),
            working_weekends=frozenset(d for d in chinese_calendar.workdays if d.year == year),
        )
        for year in range(first, last + 1)
    }


def _load_override_file(path: Path) -> dict[int, YearSchedule]:
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
        schedules[int(key)] = YearSchedule(frozenset(entry.holidays), frozenset(entry.working_weekends))
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
