"""Two periods of the applicant's and the third party's that the clock must respect.

- Art. 32: a third party has 15 working days; when they pass without an opinion, the pause ends by itself on
  that day, the reply clock runs again (the office then decides), and the lapse is flagged with an event.
- Art. 30: the correction notice gives the applicant a period (a reasonable one; the stack's default, 15 working
  days, unless the office gives another), and 6.1 (逾期不补正) only closes the request after it has lapsed.

Dates checked against the installed chinesecalendar 1.11.0 data: 清明 2026 04-04..04-06 off.
"""

from __future__ import annotations

from datetime import date

import pytest
from disclosure.domain.applicants import Channel
from disclosure.domain.disclosure_request import DisclosureRequest, RequestState
from sunshine.events.v1 import disclosure_pb2 as events
from sunshine_kit.errors import ValidationFailed

from .requests_fixtures import CALENDAR, DIVISION, NOW, intake

RECEIVED = date(2026, 3, 2)  # Monday; due 03-30
PAUSED = date(2026, 3, 4)  # the third party's 15 working days end 03-25
THIRD_PARTY_DUE = date(2026, 3, 25)
DEFAULT_PERIOD = 15


def received() -> DisclosureRequest:
    request = DisclosureRequest.receive(intake(), DIVISION, Channel.IN_PERSON, RECEIVED, NOW, RECEIVED, CALENDAR)[0]
    request.events.clear()
    return request


def consulting() -> DisclosureRequest:
    request = received()
    request.pause_for_third_party(PAUSED, PAUSED, CALENDAR)
    request.events.clear()
    return request


# --- Art. 32: the third party's 15 working days ------------------------------------------------------------------


def test_the_third_partys_limit_is_recorded_when_the_consultation_starts() -> None:
    assert consulting().third_party_due_on == THIRD_PARTY_DUE


def test_a_consultation_without_an_opinion_ends_by_itself_on_the_third_partys_last_day() -> None:
    request = consulting()
    found_on = date(2026, 6, 1)  # months later, as in the report of the issue
    assert request.lapse_consultation(found_on, CALENDAR)

    assert request.state is RequestState.IN_PROGRESS
    assert (request.paused_working_days, request.pauses[-1].ended_on) == (15, THIRD_PARTY_DUE)
    assert request.due_on == CALENDAR.add_working_days(RECEIVED, 20 + 15)
    assert request.consultation_lapsed_on == THIRD_PARTY_DUE
    (event,) = request.events
    assert isinstance(event, events.DisclosureRequestConsultationLapsed)
    assert (event.third_party_due_on, event.detected_on, event.paused_working_days) == (
        "2026-03-25",
        "2026-06-01",
        15,
    )
    assert event.due_on == request.due_on.isoformat()
    # The reply clock ran on: by June the request is overdue and flagged like any other.
    assert request.flag_if_overdue(found_on)


def test_the_consultation_runs_through_the_third_partys_last_day() -> None:
    request = consulting()
    assert not request.lapse_consultation(THIRD_PARTY_DUE, CALENDAR)
    assert request.state is RequestState.CONSULTING and request.events == []
    assert request.lapse_consultation(date(2026, 3, 26), CALENDAR)


def test_resuming_after_the_third_partys_last_day_counts_only_its_15_working_days() -> None:
    request = consulting()
    request.resume(date(2026, 4, 15), date(2026, 4, 15), CALENDAR)
    assert request.paused_working_days == 15
    assert request.due_on == CALENDAR.add_working_days(RECEIVED, 35)


def test_resuming_within_the_limit_counts_the_days_paused() -> None:
    request = consulting()
    request.resume(date(2026, 3, 11), date(2026, 3, 11), CALENDAR)  # 03-05, 03-06, 03-09..11
    assert (request.paused_working_days, request.consultation_lapsed_on) == (5, None)


# --- Art. 30: the correction period -------------------------------------------------------------------------------


def asked(period: int = 0) -> DisclosureRequest:
    request = received()
    request.ask_correction(PAUSED, PAUSED, CALENDAR, period or DEFAULT_PERIOD)
    return request


def test_the_correction_notice_records_the_period_given_and_its_last_day() -> None:
    request = asked()
    assert (request.correction_period_days, request.correction_due_on) == (15, THIRD_PARTY_DUE)
    (event,) = request.events
    assert isinstance(event, events.DisclosureRequestQueried)
    assert (event.correction_period_days, event.correction_due_on) == (15, "2026-03-25")


def test_the_office_may_give_another_reasonable_period() -> None:
    request = asked(period=10)  # 03-05, 03-06, 03-09..13, 03-16..18
    assert (request.correction_period_days, request.correction_due_on) == (10, date(2026, 3, 18))


@pytest.mark.parametrize("period", [-1, 61])
def test_an_unreasonable_period_is_refused_naming_days(period: int) -> None:
    request = received()
    with pytest.raises(ValidationFailed) as refused:
        request.ask_correction(PAUSED, PAUSED, CALENDAR, period)
    assert [v.field for v in refused.value.violations] == ["days"]


@pytest.mark.parametrize("answered_on", [PAUSED, THIRD_PARTY_DUE])
def test_six_one_is_refused_while_the_correction_period_runs(answered_on: date) -> None:
    request = asked()
    with pytest.raises(ValidationFailed) as refused:
        request.answer("6.1", "申请人逾期未补正", answered_on, answered_on, CALENDAR)
    assert [v.field for v in refused.value.violations] == ["on"]
    assert "2026-03-25" in str(refused.value)
    assert request.state is RequestState.AWAITING_CORRECTION


def test_six_one_closes_the_request_once_the_period_has_lapsed() -> None:
    request = asked()
    request.answer("6.1", "申请人逾期未补正", date(2026, 3, 26), date(2026, 3, 26), CALENDAR)
    assert (request.state, request.outcome.code if request.outcome else "") == (RequestState.ANSWERED, "6.1")
