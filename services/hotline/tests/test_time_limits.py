"""Handling time limits (办理时限): due at 23:59:59 China time of the n-th working day after acceptance.

Every date below was checked against the installed chinesecalendar 1.11.0 data
(chinese_calendar.constants.holidays / workdays):
- 春节 2026: 02-15..02-23 off; Saturdays 02-14 and 02-28 worked (调休).
- 国庆 2026: 10-01..10-07 off; Saturday 10-10 worked (调休).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from hotline.domain.time_limits import Limit, TimeLimits
from hotline.domain.vocabulary import Category, Urgency
from sunshine_kit.timestamps import CHINA_TIME
from sunshine_kit.working_days import WorkingDayCalendar

LIMITS = TimeLimits(WorkingDayCalendar())

# Friday evening before the 调休 Saturday 02-14 and the 春节 break.
BEFORE_SPRING_FESTIVAL = datetime(2026, 2, 13, 20, 0, tzinfo=CHINA_TIME)
# Wednesday before the 国庆 break.
BEFORE_NATIONAL_DAY = datetime(2026, 9, 30, 10, 0, tzinfo=CHINA_TIME)


def end_of_china_day(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 23, 59, 59, tzinfo=CHINA_TIME)


SPRING_FESTIVAL_DUE = {
    # 3 working days: 02-14 (调休), 02-24, 02-25
    Category.INQUIRY: date(2026, 2, 25),
    Category.HELP: date(2026, 2, 25),
    # 15 working days: 02-14, 02-24..02-28, 03-02..03-06, 03-09..03-12
    Category.COMPLAINT: date(2026, 3, 12),
    Category.REPORT: date(2026, 3, 12),
    # 10 working days: 02-14, 02-24..02-28, 03-02..03-05
    Category.SUGGESTION: date(2026, 3, 5),
}

NATIONAL_DAY_DUE = {
    # 3 working days: 10-08, 10-09, 10-10 (调休 Saturday)
    Category.INQUIRY: date(2026, 10, 10),
    Category.HELP: date(2026, 10, 10),
    # 15 working days: 10-08..10-10, 10-12..10-16, 10-19..10-23, 10-26, 10-27
    Category.COMPLAINT: date(2026, 10, 27),
    Category.REPORT: date(2026, 10, 27),
    # 10 working days: 10-08..10-10, 10-12..10-16, 10-19, 10-20
    Category.SUGGESTION: date(2026, 10, 20),
}


@pytest.mark.parametrize(("category", "due"), SPRING_FESTIVAL_DUE.items(), ids=str)
def test_due_across_spring_festival_counts_adjusted_saturdays(category: Category, due: date) -> None:
    assert LIMITS.due_at(category, Urgency.NORMAL, BEFORE_SPRING_FESTIVAL).at == end_of_china_day(due)


@pytest.mark.parametrize(("category", "due"), NATIONAL_DAY_DUE.items(), ids=str)
def test_due_across_national_day_skips_the_break(category: Category, due: date) -> None:
    assert LIMITS.due_at(category, Urgency.NORMAL, BEFORE_NATIONAL_DAY).at == end_of_china_day(due)


@pytest.mark.parametrize(
    ("accepted_at", "due"),
    [(BEFORE_SPRING_FESTIVAL, date(2026, 3, 5)), (BEFORE_NATIONAL_DAY, date(2026, 10, 20))],
    ids=["spring-festival", "national-day"],
)
def test_praise_is_due_in_10_working_days_as_documented(accepted_at: datetime, due: date) -> None:
    assert LIMITS.due_at(Category.PRAISE, Urgency.NORMAL, accepted_at).at == end_of_china_day(due)


def test_due_at_is_returned_in_utc() -> None:
    due = LIMITS.due_at(Category.COMPLAINT, Urgency.NORMAL, BEFORE_SPRING_FESTIVAL).at
    assert due.utcoffset().total_seconds() == 0
    assert due == datetime(2026, 3, 12, 15, 59, 59, tzinfo=UTC)


def test_last_second_of_china_day_counts_from_that_day() -> None:
    # 2026-02-13 15:59:59 UTC is 23:59:59 on Friday 02-13 in China.
    accepted = datetime(2026, 2, 13, 15, 59, 59, tzinfo=UTC)
    assert LIMITS.due_at(Category.INQUIRY, Urgency.NORMAL, accepted).at == end_of_china_day(date(2026, 2, 25))


def test_after_midnight_china_time_counts_from_the_next_china_day() -> None:
    # 2026-02-13 16:30 UTC is still 02-13 in UTC but 00:30 on Saturday 02-14 in China: 02-14 is day 0.
    accepted = datetime(2026, 2, 13, 16, 30, tzinfo=UTC)
    assert LIMITS.due_at(Category.INQUIRY, Urgency.NORMAL, accepted).at == end_of_china_day(date(2026, 2, 26))


def test_utc_evening_before_adjusted_saturday_counts_from_the_saturday() -> None:
    # 2026-10-09 16:30 UTC is 00:30 on the 调休 Saturday 10-10 in China: 10-12, 10-13, 10-14.
    accepted = datetime(2026, 10, 9, 16, 30, tzinfo=UTC)
    assert LIMITS.due_at(Category.INQUIRY, Urgency.NORMAL, accepted).at == end_of_china_day(date(2026, 10, 14))


def test_acceptance_on_a_holiday_counts_from_the_next_working_day() -> None:
    accepted = datetime(2026, 10, 3, 9, 0, tzinfo=CHINA_TIME)
    assert LIMITS.due_at(Category.INQUIRY, Urgency.NORMAL, accepted).at == end_of_china_day(date(2026, 10, 10))


def test_locally_configured_limits_replace_the_defaults() -> None:
    normal = {**LIMITS.handling["NORMAL"], "COMPLAINT": "13d"}
    limits = TimeLimits(WorkingDayCalendar(), {**LIMITS.handling, "NORMAL": normal})
    # 13 working days: 10-08..10-10, 10-12..10-16, 10-19..10-23
    due = limits.due_at(Category.COMPLAINT, Urgency.NORMAL, BEFORE_NATIONAL_DAY).at
    assert due == end_of_china_day(date(2026, 10, 23))


URGENT_ACCEPTED = datetime(2026, 10, 1, 22, 30, tzinfo=CHINA_TIME)  # 国庆 holiday, late evening


def test_urgent_matters_run_on_the_clock_through_holidays() -> None:
    assert LIMITS.due_at(Category.HELP, Urgency.URGENT, URGENT_ACCEPTED).at == URGENT_ACCEPTED + timedelta(hours=24)


def test_signing_is_due_the_next_working_day_or_within_an_hour_when_urgent() -> None:
    # Dispatched on Wednesday 09-30: 10-01..10-07 off, so the next working day is Thursday 10-08.
    assert LIMITS.sign_due_at(Urgency.NORMAL, BEFORE_NATIONAL_DAY).at == end_of_china_day(date(2026, 10, 8))
    assert LIMITS.sign_due_at(Urgency.URGENT, BEFORE_NATIONAL_DAY).at == BEFORE_NATIONAL_DAY + timedelta(hours=1)


@pytest.mark.parametrize("text", ["", "15", "d", "0d", "3w", "-1d", "1.5d"])
def test_a_malformed_limit_is_refused(text: str) -> None:
    with pytest.raises(ValueError, match="time limit"):
        Limit.parse(text)


def test_a_configuration_missing_a_category_is_refused_at_start() -> None:
    with pytest.raises(ValueError, match="NORMAL HELP"):
        TimeLimits(WorkingDayCalendar(), {"NORMAL": {"INQUIRY": "3d"}, "URGENT": {"*": "4h"}})


def test_working_day_limits_are_checked_against_the_installed_calendar_data() -> None:
    from chinese_calendar.constants import holidays, workdays

    assert all(date(2026, 10, d) in holidays for d in range(1, 8))
    assert date(2026, 10, 10) in workdays
    assert date(2026, 2, 14) in workdays and date(2026, 2, 28) in workdays
    assert all(date(2026, 2, d) in holidays for d in range(15, 24))
