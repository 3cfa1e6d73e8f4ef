"""Outcomes (Art. 36, the rows of table 三), the state machine, complaints (Art. 39) and personal data."""

from __future__ import annotations

from datetime import date

import pytest
from disclosure.domain import outcomes, secret_codes
from disclosure.domain.applicants import Applicant, ApplicantType
from disclosure.domain.disclosure_request import DisclosureRequest, RequestState
from sunshine_kit.errors import IllegalTransition, ValidationFailed

from .requests_fixtures import ADDRESS, CALENDAR, DIVISION, ID_NUMBER, NAME, NOW, PHONE, TODAY, intake, received

RECEIVED = date(2026, 2, 13)
ANSWERED = date(2026, 3, 10)
ORDINARY_CODES = [o.code for o in outcomes.OUTCOMES if o.code not in ("4.3", "5.1", "6.1", "6.2")]


def test_the_legal_set_has_every_row_of_table_three() -> None:
    assert [o.code for o in outcomes.OUTCOMES] == [
        "1", "2", *(f"3.{i}" for i in range(1, 9)), "4.1", "4.2", "4.3", *(f"5.{i}" for i in range(1, 6)),
        "6.1", "6.2", "6.3",
    ]  # fmt: skip
    assert outcomes.BY_CODE["3.3"].label == "3.危及“三安全一稳定”"
    assert outcomes.BY_CODE["5.1"].section == "（五）不予处理"


@pytest.mark.parametrize("code", ORDINARY_CODES)
def test_each_outcome_closes_a_request_in_progress(code: str) -> None:
    request = received(RECEIVED)
    request.answer(code, "依据《条例》第三十六条答复", ANSWERED, TODAY, CALENDAR)
    assert (request.state, request.outcome, request.answered_on) == (
        RequestState.ANSWERED,
        outcomes.BY_CODE[code],
        ANSWERED,
    )
    event = request.events[-1]
    assert (event.outcome, event.answered_on, event.late) == (code, "2026-03-10", False)


def test_still_unclear_after_correction_needs_a_correction_first() -> None:
    request = received(RECEIVED)
    with pytest.raises(ValidationFailed) as raised:
        request.answer("4.3", "补正后仍不明确", ANSWERED, TODAY, CALENDAR)
    assert [v.field for v in raised.value.violations] == ["outcome"]
    request.ask_correction(date(2026, 2, 24), TODAY, CALENDAR, 15)
    request.receive_correction(date(2026, 2, 26), TODAY, CALENDAR)
    request.answer("4.3", "补正后仍不明确", ANSWERED, TODAY, CALENDAR)
    assert request.outcome is outcomes.STILL_UNCLEAR_AFTER_CORRECTION


def test_no_correction_in_time_closes_a_request_awaiting_correction_only() -> None:
    request = received(RECEIVED)
    with pytest.raises(IllegalTransition) as raised:
        request.answer("6.1", "逾期未补正", ANSWERED, TODAY, CALENDAR)
    assert raised.value.current_state == "in_progress"
    request.ask_correction(date(2026, 2, 24), TODAY, CALENDAR, 15)  # the period ends 03-16
    request.answer("6.1", "逾期未补正", date(2026, 3, 17), TODAY, CALENDAR)
    assert request.outcome is outcomes.NO_CORRECTION_IN_TIME


def test_six_one_is_not_late_for_the_wait_for_the_correction() -> None:
    # Received 02-13, due 03-19; the correction notice on 02-24 stops the clock (Art. 30), so closing with 6.1
    # long after 03-19 is not late: the working days from the notice to the answer do not count.
    request = received(RECEIVED)
    request.ask_correction(date(2026, 2, 24), TODAY, CALENDAR, 15)
    request.answer("6.1", "逾期未补正", date(2026, 4, 30), TODAY, CALENDAR)
    waited = CALENDAR.working_days_between(date(2026, 2, 24), date(2026, 4, 30))
    assert request.due_on == CALENDAR.add_working_days(date(2026, 3, 19), waited)
    assert (request.answered_late, request.events[-1].late) == (False, False)


@pytest.mark.parametrize("code", ["", "7", "3.9", "三.1"])
def test_an_outcome_outside_the_legal_set_is_refused(code: str) -> None:
    with pytest.raises(ValidationFailed) as raised:
        received(RECEIVED).answer(code, "理由", ANSWERED, TODAY, CALENDAR)
    assert raised.value.violations[0].field == "outcome"


def test_disclosure_needs_no_reason_but_every_other_outcome_does() -> None:
    received(RECEIVED).answer("1", "", ANSWERED, TODAY, CALENDAR)
    with pytest.raises(ValidationFailed, match="reason"):
        received(RECEIVED).answer("3.1", " ", ANSWERED, TODAY, CALENDAR)


# --- complaints (Art. 39) ----------------------------------------------------------------------------------


def test_five_one_is_not_an_answer_but_the_redirect() -> None:
    # A request answered 5.1 would read as redirected (the hotline may read its applicant) without being handed
    # over: a complaint is closed only through redirect_as_complaint.
    request = received(RECEIVED)
    with pytest.raises(ValidationFailed) as raised:
        request.answer("5.1", "属投诉", ANSWERED, TODAY, CALENDAR)
    assert [v.field for v in raised.value.violations] == ["outcome"]
    assert (request.state, request.outcome, request.events[-1].DESCRIPTOR.name) == (
        RequestState.IN_PROGRESS,
        None,
        "DisclosureRequestReceived",
    )


def test_a_complaint_is_closed_with_five_one_and_redirected_to_the_hotline() -> None:
    request = received(RECEIVED)
    request.redirect_as_complaint("反映物业问题，属投诉，转12345热线办理", DIVISION, ANSWERED, TODAY)
    assert (request.state, request.outcome) == (RequestState.ANSWERED, outcomes.COMPLAINT)
    answered, redirected = request.events[-2:]
    assert answered.outcome == "5.1"
    assert (redirected.request_id, redirected.number, redirected.division) == (request.id, request.number, DIVISION)


# --- the state machine ---------------------------------------------------------------------------------------


def _awaiting_confirmation() -> DisclosureRequest:
    return DisclosureRequest.submit_online(intake(), DIVISION, NOW, RECEIVED)[0]


def _awaiting_correction() -> DisclosureRequest:
    request = received(RECEIVED)
    request.ask_correction(date(2026, 2, 24), TODAY, CALENDAR, 15)
    return request


def _consulting() -> DisclosureRequest:
    request = received(RECEIVED)
    request.pause_for_third_party(date(2026, 2, 24), TODAY, CALENDAR)
    return request


def _answered() -> DisclosureRequest:
    request = received(RECEIVED)
    request.answer("1", "", date(2026, 2, 24), TODAY, CALENDAR)
    return request


ON = date(2026, 3, 2)
ACTIONS = {
    "confirm": lambda r: r.confirm(ON, TODAY, CALENDAR),
    "ask_correction": lambda r: r.ask_correction(ON, TODAY, CALENDAR, 15),
    "corrected": lambda r: r.receive_correction(ON, TODAY, CALENDAR),
    "extend": lambda r: r.extend(5, "李局长", "汇总", ON, TODAY, CALENDAR),
    "pause": lambda r: r.pause_for_third_party(ON, TODAY, CALENDAR),
    "resume": lambda r: r.resume(ON, TODAY, CALENDAR),
    "answer": lambda r: r.answer("1", "", ON, TODAY, CALENDAR),
    "redirect": lambda r: r.redirect_as_complaint("投诉", DIVISION, ON, TODAY),
}
STATES = {
    "awaiting_confirmation": _awaiting_confirmation,
    "in_progress": lambda: received(RECEIVED),
    "awaiting_correction": _awaiting_correction,
    "consulting": _consulting,
    "answered": _answered,
}
ALLOWED = {
    ("awaiting_confirmation", "confirm"),
    ("in_progress", "ask_correction"),
    ("in_progress", "extend"),
    ("in_progress", "pause"),
    ("in_progress", "answer"),
    ("in_progress", "redirect"),
    ("awaiting_correction", "corrected"),
    ("consulting", "resume"),
}


@pytest.mark.parametrize("state", list(STATES))
@pytest.mark.parametrize("action", list(ACTIONS))
def test_every_transition_is_allowed_or_refused_naming_the_state(state: str, action: str) -> None:
    request = STATES[state]()
    if (state, action) in ALLOWED:
        ACTIONS[action](request)
        return
    with pytest.raises(IllegalTransition) as raised:
        ACTIONS[action](request)
    assert raised.value.current_state == state


# --- personal data -------------------------------------------------------------------------------------------


def _full_life() -> DisclosureRequest:
    request, _ = DisclosureRequest.submit_online(intake(), DIVISION, NOW, RECEIVED)
    request.confirm(RECEIVED, TODAY, CALENDAR)
    request.ask_correction(date(2026, 2, 24), TODAY, CALENDAR, 15)
    request.receive_correction(date(2026, 2, 25), TODAY, CALENDAR)
    request.extend(10, "李局长", "需要汇总", date(2026, 2, 26), TODAY, CALENDAR)
    request.pause_for_third_party(date(2026, 2, 27), TODAY, CALENDAR)
    request.resume(date(2026, 3, 5), TODAY, CALENDAR)
    request.flag_if_overdue(date(2026, 12, 1))
    request.redirect_as_complaint("投诉物业", DIVISION, date(2026, 3, 6), TODAY)
    return request


def test_events_never_carry_the_applicants_personal_data_or_the_request_text() -> None:
    request = _full_life()
    names = [e.DESCRIPTOR.name.removeprefix("DisclosureRequest") for e in request.events]
    assert names == [
        "Submitted", "Received", "Queried", "Corrected", "Extended", "Paused", "Resumed", "Overdue", "Answered",
        "Redirected",
    ]  # fmt: skip
    for event in request.events:
        text = str(event) + event.SerializeToString().decode("utf-8", "replace")
        for secret in (NAME, PHONE, ID_NUMBER, ADDRESS, request.description, "李局长"):
            assert secret not in text, (event.DESCRIPTOR.name, secret)


def test_staff_views_mask_the_applicant() -> None:
    masked = Applicant(ApplicantType.NATURAL_PERSON, NAME, PHONE, ID_NUMBER, ADDRESS).masked()
    assert (masked.name, masked.phone, masked.id_number, masked.address) == (
        "张**",
        "138****5678",
        "5101**********1234",
        "四川省成都市" + "*" * (len(ADDRESS) - 6),
    )


def test_the_secret_code_is_stored_only_as_a_digest() -> None:
    request, code = DisclosureRequest.submit_online(intake(), DIVISION, NOW, RECEIVED)
    assert code not in request.code_digest and len(request.code_digest) == 64
    assert secret_codes.matches(request.number, code.lower(), request.code_digest)
    assert not secret_codes.matches(request.number, "WRONG" + code[5:], request.code_digest)
    assert not secret_codes.matches(request.number + "0", code, request.code_digest)
