"""Fees (信息处理费, Art. 42): the schedule of 国办函〔2020〕109号, the fee notice that stops the clock, payment,
lapse and outcome 6.2.

Dates checked against the installed chinesecalendar 1.11.0 data: 春节 2026 02-15..02-23 off, Saturday 02-28
worked. Received 2026-02-13, due 03-19; a notice on 02-24 is payable until 03-23 (20 working days).
"""

from __future__ import annotations

from datetime import date

import pytest
from disclosure.domain import outcomes
from disclosure.domain.disclosure_request import DisclosureRequest, RequestState
from disclosure.domain.fees import FeeBasis, per_page_fee, per_request_fee
from sunshine.events.v1 import disclosure_pb2 as events
from sunshine_kit.errors import IllegalTransition, ValidationFailed

from .requests_fixtures import ADDRESS, CALENDAR, ID_NUMBER, NAME, PHONE, TODAY, received

RECEIVED, NOTIFIED, PAY_BY = date(2026, 2, 13), date(2026, 2, 24), date(2026, 3, 23)


@pytest.mark.parametrize(
    ("earlier", "items", "yuan"),
    [
        (0, 10, 0),  # the first 10 件 of the month are free
        (10, 1, 100),  # the 11th
        (0, 11, 100),
        (29, 2, 100 + 200),  # the 30th, then the 31st in the first band above 30
        (40, 1, 300),  # the 41st: the second band of 10, 100 元 more
        (0, 50, 20 * 100 + 10 * 200 + 10 * 300),
    ],
)
def test_per_request_fees_rise_by_band_within_a_calendar_month(earlier: int, items: int, yuan: int) -> None:
    assert per_request_fee(earlier, items) == yuan


@pytest.mark.parametrize(
    ("pages", "yuan"),
    [(30, 0), (31, 10), (100, 700), (101, 720), (200, 2700), (201, 2740), (350, 2700 + 150 * 40)],
)
def test_per_page_fees_are_progressive_by_excess(pages: int, yuan: int) -> None:
    assert per_page_fee(pages) == yuan


def _notified(basis: str = "per_page", quantity: int = 50, earlier: int = 0) -> DisclosureRequest:
    request = received(RECEIVED)
    request.notify_fee(basis, quantity, earlier, NOTIFIED, TODAY, CALENDAR)
    return request


def test_a_fee_notice_stops_the_clock_until_payment() -> None:
    request = _notified()
    assert request.state is RequestState.AWAITING_FEE
    assert request.fee is not None
    assert (request.fee.basis, request.fee.amount_yuan, request.fee.pay_by) == (FeeBasis.PER_PAGE, 200, PAY_BY)
    notified = request.events[-1]
    assert isinstance(notified, events.DisclosureRequestFeeNotified)
    assert (notified.amount_yuan, notified.pay_by, notified.basis) == (200, "2026-03-23", "per_page")
    assert request.flag_if_overdue(date(2026, 3, 20)) is False  # past the old deadline, but the clock is stopped

    request.record_fee_payment(date(2026, 3, 3), TODAY, CALENDAR)  # 6 working days after the notice
    assert (request.state, request.paused_working_days, request.due_on) == (
        RequestState.IN_PROGRESS,
        6,
        date(2026, 3, 27),
    )
    paid = request.events[-1]
    assert isinstance(paid, events.DisclosureRequestFeePaid)
    assert (paid.paid_on, paid.due_on, paid.paused_working_days) == ("2026-03-03", "2026-03-27", 6)
    for event in request.events:
        for personal in (NAME, PHONE, ID_NUMBER, ADDRESS, request.description):
            assert personal.encode() not in event.SerializeToString(), type(event).__name__


def test_per_request_counts_the_applicants_earlier_items_of_the_month() -> None:
    request = _notified("per_request", quantity=2, earlier=9)  # the 10th is free, the 11th costs 100
    assert request.fee is not None
    assert (request.fee.earlier_items, request.fee.amount_yuan) == (9, 100)


@pytest.mark.parametrize(
    ("basis", "quantity", "earlier", "field"),
    [
        ("per_page", 30, 0, "quantity"),  # within the free pages
        ("per_request", 1, 5, "quantity"),  # the 6th 件 of the month
        ("per_page", 0, 0, "quantity"),
        ("by_weight", 50, 0, "fee_basis"),
    ],
)
def test_a_notice_without_a_fee_by_the_schedule_is_refused(basis: str, quantity: int, earlier: int, field: str) -> None:
    request = received(RECEIVED)
    with pytest.raises(ValidationFailed) as raised:
        request.notify_fee(basis, quantity, earlier, NOTIFIED, TODAY, CALENDAR)
    assert [v.field for v in raised.value.violations] == [field]
    assert request.state is RequestState.IN_PROGRESS


def test_one_fee_notice_per_request_and_only_while_in_progress() -> None:
    request = _notified()
    with pytest.raises(IllegalTransition) as raised:
        request.notify_fee("per_page", 50, 0, NOTIFIED, TODAY, CALENDAR)
    assert raised.value.current_state == "awaiting_fee"
    request.record_fee_payment(date(2026, 3, 3), TODAY, CALENDAR)
    with pytest.raises(IllegalTransition, match="second fee notice"):
        request.notify_fee("per_page", 50, 0, date(2026, 3, 4), TODAY, CALENDAR)
    with pytest.raises(IllegalTransition) as not_awaiting:
        request.record_fee_payment(date(2026, 3, 4), TODAY, CALENDAR)
    assert not_awaiting.value.current_state == "in_progress"


def test_payment_after_the_last_day_is_refused() -> None:
    request = _notified()
    with pytest.raises(ValidationFailed) as raised:
        request.record_fee_payment(date(2026, 3, 24), TODAY, CALENDAR)
    assert [v.field for v in raised.value.violations] == ["on"]
    request.record_fee_payment(PAY_BY, TODAY, CALENDAR)
    assert request.state is RequestState.IN_PROGRESS


def test_an_unpaid_fee_lapses_once_after_its_last_day() -> None:
    request = _notified()
    assert request.flag_if_fee_lapsed(PAY_BY) is False
    assert request.flag_if_fee_lapsed(date(2026, 3, 24)) is True
    lapsed = request.events[-1]
    assert isinstance(lapsed, events.DisclosureRequestFeeLapsed)
    assert (lapsed.pay_by, lapsed.detected_on) == ("2026-03-23", "2026-03-24")
    assert request.flag_if_fee_lapsed(date(2026, 3, 25)) is False
    assert request.fee is not None and request.fee.lapsed


def test_six_two_closes_a_request_whose_fee_went_unpaid_only() -> None:
    in_progress = received(RECEIVED)
    with pytest.raises(IllegalTransition) as raised:
        in_progress.answer("6.2", "逾期未缴费", date(2026, 3, 10), TODAY, CALENDAR)
    assert raised.value.current_state == "in_progress"

    request = _notified()
    with pytest.raises(ValidationFailed) as early:
        request.answer("6.2", "逾期未缴费", PAY_BY, TODAY, CALENDAR)
    assert [v.field for v in early.value.violations] == ["on"]
    request.answer("6.2", "逾期未缴费，不再处理", date(2026, 3, 24), TODAY, CALENDAR)
    assert (request.state, request.outcome) == (RequestState.ANSWERED, outcomes.FEE_UNPAID)
    with pytest.raises(IllegalTransition):
        _notified().answer("1", "", date(2026, 3, 10), TODAY, CALENDAR)


def test_six_two_is_late_only_if_the_clock_ran_out_before_the_fee_notice() -> None:
    # Due 03-19 unpaused; the notice on 02-24 stops the clock, so closing after the last day to pay (03-23) is
    # within the deadline: the 21 working days from the notice to the answer do not count.
    request = _notified()
    request.answer("6.2", "逾期未缴费，不再处理", date(2026, 3, 24), TODAY, CALENDAR)
    assert request.paused_working_days == CALENDAR.working_days_between(NOTIFIED, date(2026, 3, 24)) == 21
    assert request.due_on == CALENDAR.add_working_days(date(2026, 3, 19), 21)
    answered = request.events[-1]
    assert isinstance(answered, events.DisclosureRequestAnswered)
    assert (answered.late, answered.due_on, request.answered_late) == (False, request.due_on.isoformat(), False)

    # A notice issued after the deadline does not make up for it: still late.
    request = received(RECEIVED)  # due 03-19
    request.notify_fee("per_page", 50, 0, date(2026, 3, 20), TODAY, CALENDAR)
    assert request.fee is not None
    request.answer("6.2", "逾期未缴费", CALENDAR.add_working_days(request.fee.pay_by, 1), TODAY, CALENDAR)
    assert request.answered_late and request.events[-1].late


@pytest.mark.parametrize(
    ("basis", "quantity", "earlier"),
    [
        ("per_request", 1_001, 0),  # more 件 than one request can be
        ("per_request", 21_000, 0),  # was accepted, its amount (over 2**31 元) overflowing int32 fields and columns
        ("per_request", 1_000, 250_000),  # within the limit, but the amount over 2**31 - 1 元
    ],
)
def test_a_quantity_or_amount_beyond_the_limits_is_refused_naming_quantity(
    basis: str, quantity: int, earlier: int
) -> None:
    request = received(RECEIVED)
    with pytest.raises(ValidationFailed) as raised:
        request.notify_fee(basis, quantity, earlier, NOTIFIED, TODAY, CALENDAR)
    assert [v.field for v in raised.value.violations] == ["quantity"]
    assert request.state is RequestState.IN_PROGRESS
    assert per_request_fee(0, 21_000) > 2**31 - 1 and per_page_fee(100_000) < 2**31 - 1
