"""The statutory clock of a request (Arts. 30–33), across real holidays and 调休.

Dates checked against the installed chinesecalendar 1.11.0 data: 春节 2026 02-15..02-23 off with Saturdays
02-14 and 02-28 worked; 清明 2026 04-04..04-06 off; 国庆 2026 10-01..10-07 off with Saturday 10-10 worked.
"""

from __future__ import annotations

import json
from datetime import date

import pytest
from disclosure.domain.applicants import Channel
from disclosure.domain.disclosure_request import DisclosureRequest, RequestState
from sunshine_kit.errors import IllegalTransition, ValidationFailed
from sunshine_kit.working_days import WorkingDayCalendar

from .requests_fixtures import CALENDAR, DIVISION, NOW, TODAY, intake, received

BEFORE_SPRING_FESTIVAL = date(2026, 2, 13)  # Friday before the break
BEFORE_NATIONAL_DAY = date(2026, 9, 30)


# --- the 20-working-day reply deadline (Art. 33) ----------------------------------------------------------


def test_received_just_before_spring_festival_is_due_20_working_days_later() -> None:
    # 02-14 (调休 Saturday), 02-24..02-28 (28th a 调休 Saturday), 03-02..06, 03-09..13, 03-16..19
    assert received(BEFORE_SPRING_FESTIVAL).due_on == date(2026, 3, 19)


def test_received_on_a_tiaoxiu_saturday_counts_from_the_next_working_day() -> None:
    assert received(date(2026, 2, 14)).due_on == date(2026, 3, 20)


def test_received_on_a_holiday_counts_from_the_next_working_day() -> None:
    assert received(date(2026, 10, 3)).due_on == received(BEFORE_NATIONAL_DAY).due_on == date(2026, 11, 3)


def test_received_just_before_national_day_is_due_after_the_break() -> None:
    request = received(BEFORE_NATIONAL_DAY)
    assert (request.received_on, request.clock_started_on, request.due_on) == (
        BEFORE_NATIONAL_DAY,
        BEFORE_NATIONAL_DAY,
        date(2026, 11, 3),
    )
    assert request.state is RequestState.IN_PROGRESS


def test_a_year_beyond_the_package_is_provisional_until_the_override_file(tmp_path) -> None:  # type: ignore[no-untyped-def]
    new_years_eve = date(2026, 12, 31)

    def receive_on_december_30(calendar: WorkingDayCalendar) -> DisclosureRequest:
        return DisclosureRequest.receive(
            intake(), DIVISION, Channel.FAX, date(2026, 12, 30), NOW, new_years_eve, calendar
        )[0]

    # Provisional 2027: only 元旦 off in January. 12-31 (1), 01-04..08 (6), 01-11..15 (11), 01-18..22 (16), 01-28 (20)
    provisional = receive_on_december_30(CALENDAR)
    assert (provisional.due_on, provisional.due_on_provisional) == (date(2027, 1, 28), True)
    override = tmp_path / "calendar.json"
    # Illustrative 2027 schedule: New Year 01-01..01-03 off, Saturday 01-09 worked.
    override.write_text(json.dumps({"2027": {"holidays": ["2027-01-01", "2027-01-02", "2027-01-03"],
                                             "working_weekends": ["2027-01-09"]}}))  # fmt: skip
    # 12-31 (1), 01-04..08 (6), 01-09 Saturday worked (7), 01-11..15 (12), 01-18..22 (17), 01-25..27 (20)
    official = receive_on_december_30(WorkingDayCalendar(override))
    assert (official.due_on, official.due_on_provisional) == (date(2027, 1, 27), False)


# --- date of receipt by channel (Art. 31) ------------------------------------------------------------------


def test_online_submission_waits_for_confirmation_and_is_received_on_that_day() -> None:
    request, code = DisclosureRequest.submit_online(intake(), DIVISION, NOW, date(2026, 2, 12))
    assert request.state is RequestState.AWAITING_CONFIRMATION
    assert request.received_on is None and request.due_on is None
    assert len(code) == 16 and code not in request.code_digest
    request.confirm(BEFORE_SPRING_FESTIVAL, TODAY, CALENDAR)
    assert (request.state, request.received_on, request.due_on) == (
        RequestState.IN_PROGRESS,
        BEFORE_SPRING_FESTIVAL,
        date(2026, 3, 19),
    )


@pytest.mark.parametrize("channel", list(Channel))
def test_every_channel_takes_the_date_of_receipt_given(channel: Channel) -> None:
    assert received(BEFORE_SPRING_FESTIVAL, channel).received_on == BEFORE_SPRING_FESTIVAL


def test_a_date_of_receipt_in_the_future_is_refused() -> None:
    with pytest.raises(ValidationFailed) as raised:
        received(date(2026, 11, 28))
    assert [v.field for v in raised.value.violations] == ["received_on"]


def test_intake_names_every_missing_field() -> None:
    bad = intake(applicant_type=None, description=" ")
    with pytest.raises(ValidationFailed) as raised:
        DisclosureRequest.receive(bad, DIVISION, None, None, NOW, TODAY, CALENDAR)
    fields = [v.field for v in raised.value.violations]
    assert fields == ["applicant.type", "description", "channel", "received_on"]


# --- one correction within 7 working days restarts the clock (Art. 30) -------------------------------------


def test_correction_on_the_seventh_working_day_is_allowed_and_restarts_the_clock() -> None:
    request = received(BEFORE_SPRING_FESTIVAL)
    request.ask_correction(date(2026, 3, 2), TODAY, CALENDAR, 15)  # 02-14, 02-24..28, 03-02: the 7th
    assert request.state is RequestState.AWAITING_CORRECTION
    request.receive_correction(date(2026, 3, 2), TODAY, CALENDAR)
    assert (request.state, request.clock_started_on, request.due_on) == (
        RequestState.IN_PROGRESS,
        date(2026, 3, 2),
        date(2026, 3, 30),
    )
    assert request.received_on == BEFORE_SPRING_FESTIVAL  # the report still counts the first receipt


def test_correction_on_the_eighth_working_day_is_refused() -> None:
    request = received(BEFORE_SPRING_FESTIVAL)
    with pytest.raises(ValidationFailed, match="by 2026-03-02"):
        request.ask_correction(date(2026, 3, 3), TODAY, CALENDAR, 15)


def test_only_one_correction_notice() -> None:
    request = received(BEFORE_SPRING_FESTIVAL)
    request.ask_correction(date(2026, 2, 24), TODAY, CALENDAR, 15)
    request.receive_correction(date(2026, 2, 25), TODAY, CALENDAR)
    with pytest.raises(IllegalTransition) as raised:
        request.ask_correction(date(2026, 2, 26), TODAY, CALENDAR, 15)
    assert raised.value.current_state == "in_progress"


# --- one extension of at most 20 working days, approved (Art. 33) ------------------------------------------


def test_extension_moves_the_deadline_and_records_the_approver() -> None:
    request = received(BEFORE_SPRING_FESTIVAL)
    request.extend(20, "李局长", "涉及多个部门，需要汇总", date(2026, 3, 19), TODAY, CALENDAR)
    assert (request.due_on, request.extension_days, request.extension_approver) == (date(2026, 4, 17), 20, "李局长")


def test_extension_twice_is_refused() -> None:
    request = received(BEFORE_SPRING_FESTIVAL)
    request.extend(5, "李局长", "需要汇总", date(2026, 3, 10), TODAY, CALENDAR)
    with pytest.raises(IllegalTransition, match="second time"):
        request.extend(5, "李局长", "需要汇总", date(2026, 3, 11), TODAY, CALENDAR)


@pytest.mark.parametrize(
    ("days", "approver", "on", "field"),
    [
        (21, "李局长", date(2026, 3, 10), "days"),
        (0, "李局长", date(2026, 3, 10), "days"),
        (10, " ", date(2026, 3, 10), "approver"),
        (10, "李局长", date(2026, 3, 20), "on"),  # after the deadline 03-19
    ],
)
def test_extension_limits(days: int, approver: str, on: date, field: str) -> None:
    request = received(BEFORE_SPRING_FESTIVAL)
    with pytest.raises(ValidationFailed) as raised:
        request.extend(days, approver, "原因", on, TODAY, CALENDAR)
    assert [v.field for v in raised.value.violations] == [field]


# --- third-party consultation pauses the clock (Art. 32) ---------------------------------------------------


def test_consultation_pauses_the_clock_across_national_day_tiaoxiu() -> None:
    request = received(BEFORE_NATIONAL_DAY)
    request.pause_for_third_party(date(2026, 10, 9), TODAY, CALENDAR)
    assert request.state is RequestState.CONSULTING
    assert request.events[-1].third_party_due_on == "2026-10-29"  # 10-10 worked, 10-12..16, 10-19..23, 10-26..29
    request.resume(date(2026, 10, 16), TODAY, CALENDAR)
    # (10-09, 10-16]: 10-10 (调休 Saturday), 10-12..16 = 6 working days paused
    assert (request.paused_working_days, request.due_on) == (6, date(2026, 11, 11))


def test_a_paused_request_is_never_overdue() -> None:
    request = received(BEFORE_NATIONAL_DAY)
    request.pause_for_third_party(date(2026, 10, 9), TODAY, CALENDAR)
    assert request.flag_if_overdue(date(2026, 11, 20)) is False


# --- overdue detection ---------------------------------------------------------------------------------------


def test_overdue_is_flagged_once_the_day_after_the_deadline() -> None:
    request = received(BEFORE_SPRING_FESTIVAL)
    assert request.flag_if_overdue(date(2026, 3, 19)) is False
    assert request.flag_if_overdue(date(2026, 3, 20)) is True
    assert request.flag_if_overdue(date(2026, 3, 21)) is False
    overdue = [e for e in request.events if e.DESCRIPTOR.name == "DisclosureRequestOverdue"]
    assert [(e.due_on, e.detected_on) for e in overdue] == [("2026-03-19", "2026-03-20")]


def test_an_answer_after_the_deadline_is_late() -> None:
    request = received(BEFORE_SPRING_FESTIVAL)
    request.answer("1", "", date(2026, 3, 20), TODAY, CALENDAR)
    assert request.answered_late is True
    assert request.events[-1].late is True


def test_dates_cannot_go_back_before_the_previous_step() -> None:
    request = received(BEFORE_SPRING_FESTIVAL)
    with pytest.raises(ValidationFailed, match="previous step"):
        request.answer("1", "", date(2026, 2, 12), TODAY, CALENDAR)
