"""Clocks that run into 2027, which neither the installed chinesecalendar 1.11.0 nor an override file covers:
every one succeeds and says its date is provisional (预计); one that stays in 2026 does not.

Provisional 2027 (docs/working-days.md): 元旦 01-01; 春节 02-05 (除夕) to 02-08 with make-up days 02-09 and 02-10
for the weekend days 02-06 and 02-07; no 调休 weekend.
"""

from __future__ import annotations

from datetime import date

from disclosure.domain.applicants import Channel
from disclosure.domain.catalogue import CatalogueEntry
from disclosure.domain.disclosure_request import DisclosureRequest
from disclosure.domain.major_decision import MajorDecision
from sunshine.events.v1 import disclosure_pb2 as events

from .requests_fixtures import CALENDAR, DIVISION, NOW, intake, received
from .test_catalogue_lifecycle import content
from .test_major_decision import consultation

NOVEMBER_20 = date(2026, 11, 20)  # received; due 12-18, inside 2026


def received_on(day: date) -> DisclosureRequest:
    """Received in person on `day`, which is today."""
    return DisclosureRequest.receive(intake(), DIVISION, Channel.IN_PERSON, day, NOW, day, CALENDAR)[0]


def test_a_request_received_on_december_3_is_due_inside_2026_and_not_provisional() -> None:
    request = received_on(date(2026, 12, 3))
    assert (request.due_on, request.due_on_provisional) == (date(2026, 12, 31), False)
    assert request.events[-1].due_on_provisional is False


def test_a_request_received_on_december_4_is_due_provisionally_in_2027() -> None:
    request = received_on(date(2026, 12, 4))
    # 12-31 is the 19th working day; 01-01 (元旦) and the weekend are off.
    assert (request.due_on, request.due_on_provisional) == (date(2027, 1, 4), True)
    (event,) = request.events
    assert isinstance(event, events.DisclosureRequestReceived)
    assert (event.due_on, event.due_on_provisional) == ("2027-01-04", True)


def test_an_online_request_confirmed_in_december_is_due_provisionally() -> None:
    request, _code = DisclosureRequest.submit_online(intake(), DIVISION, NOW, date(2026, 12, 10))
    request.confirm(date(2026, 12, 10), date(2026, 12, 10), CALENDAR)
    assert (request.due_on, request.due_on_provisional) == (date(2027, 1, 8), True)


def test_a_request_received_before_the_spring_festival_2027_skips_the_statutory_break() -> None:
    request = received_on(date(2027, 2, 1))
    # 02-02..04 (3), 02-05..10 off, 02-11, 02-12 (5), 02-15..19 (10), 02-22..26 (15), 03-01..05 (20)
    assert (request.due_on, request.due_on_provisional) == (date(2027, 3, 5), True)


def test_an_extension_decided_in_december_is_due_provisionally() -> None:
    request = received(NOVEMBER_20)
    assert (request.due_on, request.due_on_provisional) == (date(2026, 12, 18), False)
    request.extend(20, "王局长", "需要调取档案", date(2026, 12, 10), date(2026, 12, 10), CALENDAR)
    assert (request.due_on, request.due_on_provisional) == (date(2027, 1, 18), True)
    assert request.events[-1].due_on_provisional is True


def test_a_third_party_consultation_from_december_11_is_due_provisionally() -> None:
    request = received(NOVEMBER_20)
    request.pause_for_third_party(date(2026, 12, 11), date(2026, 12, 11), CALENDAR)
    assert (request.third_party_due_on, request.third_party_due_provisional) == (date(2027, 1, 4), True)
    paused = request.events[-1]
    assert isinstance(paused, events.DisclosureRequestPaused)
    assert (paused.third_party_due_on, paused.third_party_due_provisional) == ("2027-01-04", True)

    request.resume(date(2027, 1, 4), date(2027, 1, 4), CALENDAR)
    # 15 working days paused, counted through provisional 2027: the moved deadline is provisional as well.
    assert (request.paused_working_days, request.due_on, request.due_on_provisional) == (15, date(2027, 1, 11), True)
    assert request.pauses[-1].provisional


def test_a_fee_notice_served_in_december_has_a_provisional_last_day() -> None:
    request = received(NOVEMBER_20)
    request.notify_fee("per_page", 50, 0, date(2026, 12, 4), date(2026, 12, 4), CALENDAR)
    assert request.fee is not None
    assert (request.fee.pay_by, request.fee.pay_by_provisional) == (date(2027, 1, 4), True)
    assert request.events[-1].pay_by_provisional is True


def test_a_catalogue_draft_formed_in_december_is_due_provisionally() -> None:
    entry = CatalogueEntry.draft(content(formed_on="2026-12-04"), DIVISION, date(2026, 12, 4), CALENDAR)
    assert (entry.due_on, entry.due_on_provisional) == (date(2027, 1, 4), True)
    entry.publish(NOW.replace(year=2026, month=12, day=7))
    assert entry.events[-1].due_on_provisional is True


def test_a_consultation_ending_in_2027_opens_and_its_notice_count_is_provisional() -> None:
    # 12-21..25 (5), 12-28..31 (9), 01-04 (10): the earliest end under the provisional 2027.
    decision = MajorDecision.open(consultation(date(2026, 12, 18), date(2027, 1, 4)), date(2026, 12, 18), CALENDAR)
    assert decision.notice_provisional
    (event,) = decision.events
    assert (event.notice_working_days, event.notice_provisional) == (10, True)
    inside_2026 = MajorDecision.open(consultation(date(2026, 12, 1), date(2026, 12, 15)), date(2026, 12, 1), CALENDAR)
    assert not inside_2026.notice_provisional
