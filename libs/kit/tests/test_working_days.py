"""The working-day calendar.

Every 2026 date asserted here was checked against the installed chinesecalendar 1.11.0 data
(chinese_calendar.constants.holidays / workdays). The 2027 schedule is illustrative test data, not the
official one.
"""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sunshine_kit.errors import SunshineError
from sunshine_kit.working_days import CalendarNotCovered, InvalidCalendarOverride, WorkingDayCalendar

CALENDAR = WorkingDayCalendar()

ILLUSTRATIVE_2027 = {
    "2027": {
        "holidays": ["2027-01-01", *(f"2027-02-{day:02d}" for day in range(6, 13))],
        "working_weekends": ["2027-02-20"],
    }
}


def write_override(tmp_path: Path, content: object) -> Path:
    path = tmp_path / "calendar-override.json"
    path.write_text(content if isinstance(content, str) else json.dumps(content), encoding="utf-8")
    return path


# --- 2026 from the package -------------------------------------------------------------------------------


@pytest.mark.parametrize("day", [date(2026, 2, d) for d in range(15, 24)])
def test_spring_festival_2026_break_is_off(day: date) -> None:
    assert not CALENDAR.is_working_day(day)


@pytest.mark.parametrize("day", [date(2026, 2, 14), date(2026, 2, 28)])
def test_spring_festival_2026_adjusted_saturdays_are_working(day: date) -> None:
    assert day.weekday() == 5
    assert CALENDAR.is_working_day(day)


@pytest.mark.parametrize("day", [date(2026, 10, d) for d in range(1, 8)])
def test_national_day_2026_break_is_off(day: date) -> None:
    assert not CALENDAR.is_working_day(day)


@pytest.mark.parametrize("day", [date(2026, 9, 20), date(2026, 10, 10)])
def test_national_day_2026_adjusted_weekend_days_are_working(day: date) -> None:
    assert day.weekday() >= 5
    assert CALENDAR.is_working_day(day)


def test_ordinary_weekend_is_off_and_weekday_is_working() -> None:
    assert not CALENDAR.is_working_day(date(2026, 3, 7))  # Saturday
    assert not CALENDAR.is_working_day(date(2026, 3, 8))  # Sunday
    assert CALENDAR.is_working_day(date(2026, 3, 9))  # Monday


@pytest.mark.parametrize(
    ("received", "deadline"),
    [
        # Friday before 春节: 2/14 (调休 Sat) is day 1, 2/24 day 2, 2/28 (调休 Sat) day 6, 3/19 day 20.
        (date(2026, 2, 13), date(2026, 3, 19)),
        # Wednesday before 国庆: 10/8 is day 1, 10/10 (调休 Sat) day 3, 11/3 day 20.
        (date(2026, 9, 30), date(2026, 11, 3)),
    ],
)
def test_twenty_working_days_across_a_break(received: date, deadline: date) -> None:
    assert CALENDAR.add_working_days(received, 20) == deadline
    assert CALENDAR.working_days_between(received, deadline) == 20


def test_day_of_receipt_is_not_counted() -> None:
    assert CALENDAR.add_working_days(date(2026, 3, 9), 1) == date(2026, 3, 10)
    assert CALENDAR.add_working_days(date(2026, 3, 9), 0) == date(2026, 3, 9)
    # Received on a Saturday: counting starts Sunday, so the first working day is Monday.
    assert CALENDAR.add_working_days(date(2026, 3, 7), 1) == date(2026, 3, 9)


def test_adjusted_saturday_counts_as_a_working_day() -> None:
    # Friday 2/27 + 1 working day is the 调休 Saturday 2/28, not Monday 3/2.
    assert CALENDAR.add_working_days(date(2026, 2, 27), 1) == date(2026, 2, 28)
    assert CALENDAR.working_days_between(date(2026, 2, 27), date(2026, 3, 2)) == 2


def test_working_days_between_is_negative_backwards() -> None:
    assert CALENDAR.working_days_between(date(2026, 3, 19), date(2026, 2, 13)) == -20


def test_negative_n_is_rejected() -> None:
    with pytest.raises(ValueError, match="n must be >= 0"):
        CALENDAR.add_working_days(date(2026, 3, 9), -1)


def test_datetime_is_rejected() -> None:
    with pytest.raises(TypeError, match="not a datetime"):
        CALENDAR.is_working_day(datetime(2026, 2, 16, 9, 0))


# --- coverage and the override file ---------------------------------------------------------------------


def test_package_covers_2004_to_2026_only() -> None:
    assert CALENDAR.covers(2004)
    assert CALENDAR.covers(2026)
    assert not CALENDAR.covers(2003)
    assert not CALENDAR.covers(2027)


@pytest.mark.parametrize("day", [date(2027, 1, 4), date(2003, 12, 31)])
def test_uncovered_year_raises_calendar_not_covered(day: date) -> None:
    with pytest.raises(CalendarNotCovered) as caught:
        CALENDAR.is_working_day(day)
    assert not isinstance(caught.value, NotImplementedError)
    assert isinstance(caught.value, SunshineError)
    assert caught.value.year == day.year
    assert "SUNSHINE_CALENDAR_OVERRIDE_FILE" in str(caught.value)
    assert str(day.year) in str(caught.value)


def test_counting_into_an_uncovered_year_raises_calendar_not_covered() -> None:
    with pytest.raises(CalendarNotCovered):
        CALENDAR.add_working_days(date(2026, 12, 20), 20)
    with pytest.raises(CalendarNotCovered):
        CALENDAR.working_days_between(date(2026, 12, 20), date(2027, 1, 20))


def test_override_file_covers_2027(tmp_path: Path) -> None:
    calendar = WorkingDayCalendar(write_override(tmp_path, ILLUSTRATIVE_2027))

    assert calendar.covers(2027)
    assert not calendar.is_working_day(date(2027, 2, 8))  # Monday inside the break
    assert calendar.is_working_day(date(2027, 2, 20))  # adjusted working Saturday
    assert not calendar.is_working_day(date(2027, 2, 21))  # ordinary Sunday
    assert calendar.is_working_day(date(2027, 2, 15))  # ordinary Monday
    # Thursday 2026-12-31 (package) + 1 skips 1/1 (override holiday) and the weekend.
    assert calendar.add_working_days(date(2026, 12, 31), 1) == date(2027, 1, 4)


def test_override_year_replaces_the_package_year(tmp_path: Path) -> None:
    empty_2026 = {"2026": {"holidays": [], "working_weekends": []}}
    calendar = WorkingDayCalendar(write_override(tmp_path, empty_2026))

    assert calendar.is_working_day(date(2026, 10, 1))  # a Thursday, no longer a holiday
    assert not calendar.is_working_day(date(2026, 2, 14))  # a Saturday, no longer 调休
    assert not calendar.is_working_day(date(2025, 10, 1))  # other years still come from the package


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ({"2027": {"holidays": ["2027-01-01", "2027-13-01"], "working_weekends": []}}, "2027.holidays[1]"),
        ({"2027": {"holidays": ["2027-01-01"]}}, "2027.working_weekends: Field required"),
        ({"2027": {"holidays": [], "working_weekend": []}}, "2027.working_weekend: Extra inputs"),
        (
            {"2027": {"holidays": ["2028-01-01"], "working_weekends": []}},
            "2027.holidays: 2028-01-01 is not in 2027",
        ),
        (
            {"2027": {"holidays": [], "working_weekends": ["2027-02-10"]}},
            "2027.working_weekends: 2027-02-10 is a Wednesday",
        ),
        (
            {"2027": {"holidays": ["2027-02-20"], "working_weekends": ["2027-02-20"]}},
            "2027.working_weekends: 2027-02-20 is also listed in 2027.holidays",
        ),
        ({"27": {"holidays": [], "working_weekends": []}}, "27 (year)"),
        ("[]", "top level"),
        ("{not json", "top level: Invalid JSON"),
    ],
)
def test_malformed_override_file_is_rejected_naming_the_field(
    tmp_path: Path, content: object, message: str
) -> None:
    path = write_override(tmp_path, content)
    with pytest.raises(InvalidCalendarOverride) as caught:
        WorkingDayCalendar(path)
    assert message in str(caught.value)
    assert str(path) in str(caught.value)


def test_missing_override_file_is_rejected(tmp_path: Path) -> None:
    with pytest.raises(InvalidCalendarOverride, match="cannot read"):
        WorkingDayCalendar(tmp_path / "absent.json")


# --- properties -----------------------------------------------------------------------------------------

# Starts early enough that 60 working days stay inside the package's coverage.
starts = st.dates(min_value=date(2004, 1, 1), max_value=date(2026, 6, 30))


@given(start=starts, n=st.integers(min_value=0, max_value=60))
def test_add_and_between_agree(start: date, n: int) -> None:
    assert CALENDAR.working_days_between(start, CALENDAR.add_working_days(start, n)) == n


@given(start=starts, n=st.integers(min_value=1, max_value=60))
def test_add_lands_on_the_first_day_reaching_n(start: date, n: int) -> None:
    deadline = CALENDAR.add_working_days(start, n)
    assert CALENDAR.is_working_day(deadline)
    assert CALENDAR.working_days_between(start, deadline - timedelta(days=1)) == n - 1


@given(a=starts, b=starts)
def test_between_is_antisymmetric(a: date, b: date) -> None:
    assert CALENDAR.working_days_between(a, b) == -CALENDAR.working_days_between(b, a)
