"""The working-day calendar.

Every 2026 date asserted here was checked against the installed chinesecalendar 1.11.0 data
(chinese_calendar.constants.holidays / workdays). The 2027 override schedule is illustrative test data, not the
official one; the provisional 2027 days follow 《全国年节及纪念日放假办法》 (2024) with the lunar dates written out
below (春节 2027-02-06, 清明 04-05, 端午 06-09, 中秋 09-15).
"""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sunshine_kit.working_days import InvalidCalendarOverride, WorkingDayCalendar, provisional_schedule

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
    assert CALENDAR.is_provisional(2027)


# --- provisional years ----------------------------------------------------------------------------------

STATUTORY_2027 = {
    date(2027, 1, 1),  # 元旦, Friday
    *(date(2027, 2, d) for d in (5, 6, 7, 8)),  # 春节: 除夕 and 初一–初三
    date(2027, 4, 5),  # 清明
    date(2027, 5, 1),  # 劳动节, Saturday
    date(2027, 5, 2),  # Sunday
    date(2027, 6, 9),  # 端午
    date(2027, 9, 15),  # 中秋
    *(date(2027, 10, d) for d in (1, 2, 3)),  # 国庆, Friday to Sunday
}
# 补假 (Art. 6): one weekday for each statutory day on a weekend, the next free one.
MAKE_UP_2027 = {
    date(2027, 2, 9),
    date(2027, 2, 10),
    date(2027, 5, 3),
    date(2027, 5, 4),
    date(2027, 10, 4),
    date(2027, 10, 5),
}


def test_a_provisional_year_has_the_statutory_days_and_their_make_up_days_off() -> None:
    schedule = CALENDAR.schedule(2027)
    assert schedule.provisional
    assert schedule.holidays == STATUTORY_2027 | MAKE_UP_2027


def test_a_provisional_year_invents_no_adjusted_working_weekend() -> None:
    weekend_days = [date(2027, 1, 1) + timedelta(days=i) for i in range(365)]
    assert not any(CALENDAR.is_working_day(d) for d in weekend_days if d.weekday() >= 5)


def test_counting_into_a_provisional_year_never_fails_and_says_so() -> None:
    # 12-04 + 20 working days: 12-31 is day 19, 1/1 (元旦) and the weekend are off, 1/4 is day 20.
    due = CALENDAR.add_working_days(date(2026, 12, 4), 20)
    assert due == date(2027, 1, 4)
    assert CALENDAR.provisional_between(date(2026, 12, 4), due)
    assert CALENDAR.working_days_between(date(2026, 12, 20), date(2027, 1, 20)) == 22  # 9 in December, 13 in January


def test_provisional_between_looks_at_the_days_counted_only() -> None:
    assert not CALENDAR.provisional_between(date(2026, 12, 3), CALENDAR.add_working_days(date(2026, 12, 3), 20))
    assert not CALENDAR.provisional_between(date(2027, 1, 4), date(2027, 1, 4))  # nothing counted
    assert not CALENDAR.provisional_between(date(2026, 12, 30), date(2026, 12, 31))
    assert CALENDAR.provisional_between(date(2026, 12, 31), date(2027, 1, 1))
    assert CALENDAR.provisional_between(date(2027, 1, 1), date(2026, 12, 31))  # either order
    assert CALENDAR.provisional_between(date(2003, 12, 1), date(2004, 1, 5))


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (date(2026, 9, 30), []),
        (date(2026, 10, 1), [2027]),
        (date(2026, 12, 31), [2027]),
        (date(2027, 1, 4), [2027]),
        (date(2027, 10, 1), [2027, 2028]),
    ],
)
def test_uncovered_years_warn_from_the_first_of_october(today: date, expected: list[int]) -> None:
    assert CALENDAR.uncovered_years(today) == expected


def test_an_override_year_is_official(tmp_path: Path) -> None:
    calendar = WorkingDayCalendar(write_override(tmp_path, ILLUSTRATIVE_2027))
    assert calendar.uncovered_years(date(2026, 10, 1)) == []
    assert not calendar.provisional_between(date(2026, 12, 4), date(2027, 1, 5))


# --- reloading the override file ------------------------------------------------------------------------


def test_reload_reports_the_years_that_changed(tmp_path: Path) -> None:
    path = write_override(tmp_path, {})
    calendar = WorkingDayCalendar(path)
    provisional_due = calendar.add_working_days(date(2027, 2, 4), 1)
    assert provisional_due == date(2027, 2, 11)  # 2/5 除夕 … 2/10 make-up days off

    write_override(tmp_path, ILLUSTRATIVE_2027)
    assert calendar.reload() == {2027}
    assert calendar.covers(2027)
    assert calendar.add_working_days(date(2027, 2, 4), 1) == date(2027, 2, 5)  # a working Friday there
    assert calendar.reload() == set()  # unchanged file

    write_override(tmp_path, {})
    assert calendar.reload() == {2027}
    assert calendar.is_provisional(2027)


def test_a_malformed_file_on_reload_keeps_the_schedule(tmp_path: Path) -> None:
    path = write_override(tmp_path, ILLUSTRATIVE_2027)
    calendar = WorkingDayCalendar(path)
    write_override(tmp_path, "{not json")
    with pytest.raises(InvalidCalendarOverride, match="Invalid JSON"):
        calendar.reload()
    assert calendar.covers(2027)
    assert calendar.is_working_day(date(2027, 2, 20))


def test_a_calendar_without_a_file_reloads_nothing() -> None:
    assert CALENDAR.reload() == set()


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
def test_malformed_override_file_is_rejected_naming_the_field(tmp_path: Path, content: object, message: str) -> None:
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


# --- the provisional rule against the official 2025 and 2026 --------------------------------------------

# The statutory days by the 2024 measures, lunar dates written out: 春节 2025-01-29 and 2026-02-17, 清明 04-04 and
# 04-05, 端午 05-31 and 06-19, 中秋 10-06 and 09-25.
STATUTORY = {
    2025: {
        date(2025, 1, 1),
        *(date(2025, 1, d) for d in (28, 29, 30, 31)),
        date(2025, 4, 4),
        date(2025, 5, 1),
        date(2025, 5, 2),
        date(2025, 5, 31),
        date(2025, 10, 6),
        *(date(2025, 10, d) for d in (1, 2, 3)),
    },
    2026: {
        date(2026, 1, 1),
        *(date(2026, 2, d) for d in (16, 17, 18, 19)),
        date(2026, 4, 5),
        date(2026, 5, 1),
        date(2026, 5, 2),
        date(2026, 6, 19),
        date(2026, 9, 25),
        *(date(2026, 10, d) for d in (1, 2, 3)),
    },
}
PROVISIONAL_ONLY = WorkingDayCalendar(use_package=False)


def arrangement_days(year: int) -> set[date]:
    """What only the State Council's arrangement decides: bridging days (weekdays off that are not statutory)
    and 调休 (weekend days worked)."""
    official = CALENDAR.schedule(year)
    bridging = {d for d in official.holidays if d.weekday() < 5 and d not in STATUTORY[year]}
    return bridging | set(official.working_weekends)


ARRANGED = arrangement_days(2025) | arrangement_days(2026)
days_2025_2026 = st.dates(min_value=date(2025, 1, 1), max_value=date(2026, 12, 31))


@pytest.mark.parametrize("year", [2025, 2026])
def test_the_provisional_year_has_every_statutory_day_off(year: int) -> None:
    assert STATUTORY[year] <= provisional_schedule(year).holidays


@given(day=days_2025_2026)
def test_provisional_and_official_days_differ_only_on_the_arrangement(day: date) -> None:
    if PROVISIONAL_ONLY.is_working_day(day) != CALENDAR.is_working_day(day):
        assert day in ARRANGED


@given(start=days_2025_2026, n=st.integers(min_value=0, max_value=60))
def test_provisional_and_official_deadlines_differ_only_across_the_arrangement(start: date, n: int) -> None:
    provisional, official = PROVISIONAL_ONLY.add_working_days(start, n), CALENDAR.add_working_days(start, n)
    if provisional != official:
        assert any(start < d <= max(provisional, official) for d in ARRANGED)
    else:
        assert PROVISIONAL_ONLY.working_days_between(start, official) == n


def test_the_arrangement_really_moves_deadlines() -> None:
    """The property above is not vacuous: across 春节 2026 the bridging days and 调休 Saturdays do matter."""
    assert PROVISIONAL_ONLY.add_working_days(date(2026, 2, 13), 20) != CALENDAR.add_working_days(date(2026, 2, 13), 20)
