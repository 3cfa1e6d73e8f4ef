"""Provisional dates counted again once the official 2027 arrangement is in the override file.

The arrangements below are illustrative test data, not the State Council's 2027 schedule. Provisional 2027 (no
file): 02-05 (除夕) to 02-08 off, make-up days 02-09 and 02-10. LONGER_BREAK also gives 02-11 and 02-12 off;
WORKED_SUNDAY works Sunday 01-31 instead.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from disclosure.domain.applicants import Channel
from disclosure.domain.catalogue import CatalogueEntry
from disclosure.domain.disclosure_request import DisclosureRequest
from sunshine.events.v1 import disclosure_pb2 as events
from sunshine_kit.working_days import WorkingDayCalendar

from .requests_fixtures import DIVISION, NOW, intake
from .test_catalogue_lifecycle import content

STATUTORY = ["2027-01-01", *(f"2027-02-{d:02d}" for d in range(5, 11))]
LONGER_BREAK = {"2027": {"holidays": [*STATUTORY, "2027-02-11", "2027-02-12"], "working_weekends": []}}
WORKED_SUNDAY = {"2027": {"holidays": STATUTORY, "working_weekends": ["2027-01-31"]}}
JANUARY_20 = date(2027, 1, 20)


def publish(override: Path, calendar: WorkingDayCalendar, schedule: dict) -> None:  # type: ignore[type-arg]
    override.write_text(json.dumps(schedule))
    assert calendar.reload() == {2027}


def received_on(day: date, calendar: WorkingDayCalendar) -> DisclosureRequest:
    request = DisclosureRequest.receive(intake(), DIVISION, Channel.IN_PERSON, day, NOW, day, calendar)[0]
    request.events.clear()
    return request


def test_a_deadline_moved_later_by_the_arrangement_is_recomputed_with_history_and_event(override, calendar) -> None:  # type: ignore[no-untyped-def]
    request = received_on(JANUARY_20, calendar)
    # 01-21, 01-22, 01-25..29, 02-01..04 (11), 02-11, 02-12, 02-15..19 (18), 02-22, 02-23 (20)
    assert (request.due_on, request.due_on_provisional) == (date(2027, 2, 23), True)

    publish(override, calendar, LONGER_BREAK)
    assert request.recompute(date(2027, 2, 1), calendar)

    assert (request.due_on, request.due_on_provisional, request.provisional) == (date(2027, 2, 25), False, False)
    (change,) = request.recomputations
    assert (change.recomputed_on, change.name, change.old, change.new) == (
        date(2027, 2, 1), "due_on", date(2027, 2, 23), date(2027, 2, 25),
    )  # fmt: skip
    assert (change.old_provisional, change.new_provisional) == (True, False)
    (event,) = request.events
    assert isinstance(event, events.DisclosureRequestRecomputed)
    [date_moved] = event.dates
    assert (date_moved.name, date_moved.old_date, date_moved.new_date) == ("due_on", "2027-02-23", "2027-02-25")
    assert (event.recomputed_on, event.overdue_withdrawn) == ("2027-02-01", False)

    request.events.clear()
    assert not request.recompute(date(2027, 2, 2), calendar)  # official now: nothing more to do
    assert request.events == []


def test_a_deadline_moved_earlier_by_a_worked_sunday_is_recomputed(override, calendar) -> None:  # type: ignore[no-untyped-def]
    request = received_on(JANUARY_20, calendar)
    publish(override, calendar, WORKED_SUNDAY)
    assert request.recompute(date(2027, 2, 1), calendar)
    assert (request.due_on, request.due_on_provisional) == (date(2027, 2, 22), False)


def test_a_provisional_date_confirmed_unchanged_still_stops_being_provisional(override, calendar) -> None:  # type: ignore[no-untyped-def]
    request = received_on(date(2026, 12, 4), calendar)
    assert (request.due_on, request.due_on_provisional) == (date(2027, 1, 4), True)
    publish(override, calendar, LONGER_BREAK)
    assert request.recompute(date(2026, 12, 10), calendar)
    assert (request.due_on, request.due_on_provisional) == (date(2027, 1, 4), False)
    assert request.events[-1].dates[0].old_date == request.events[-1].dates[0].new_date == "2027-01-04"


def test_an_overdue_flag_from_a_provisional_deadline_that_moved_later_is_withdrawn(override, calendar) -> None:  # type: ignore[no-untyped-def]
    request = received_on(JANUARY_20, calendar)
    assert request.flag_if_overdue(date(2027, 2, 24))  # past the provisional 02-23
    request.events.clear()

    publish(override, calendar, LONGER_BREAK)
    assert request.recompute(date(2027, 2, 24), calendar)
    assert (request.due_on, request.overdue) == (date(2027, 2, 25), False)
    assert request.events[-1].overdue_withdrawn
    assert not request.flag_if_overdue(date(2027, 2, 25))  # the new deadline has not passed
    assert request.flag_if_overdue(date(2027, 2, 26))


def test_an_overdue_flag_stays_when_the_deadline_moved_earlier(override, calendar) -> None:  # type: ignore[no-untyped-def]
    request = received_on(JANUARY_20, calendar)
    assert request.flag_if_overdue(date(2027, 2, 24))
    publish(override, calendar, WORKED_SUNDAY)
    assert request.recompute(date(2027, 2, 24), calendar)
    assert request.overdue and not request.events[-1].overdue_withdrawn


def test_a_pause_through_the_break_is_counted_again(override, calendar) -> None:  # type: ignore[no-untyped-def]
    request = received_on(JANUARY_20, calendar)
    request.pause_for_third_party(date(2027, 2, 1), date(2027, 2, 1), calendar)
    request.resume(date(2027, 2, 15), date(2027, 2, 15), calendar)
    # Provisional: 02-02..04, 02-11, 02-12, 02-15 paused (6); officially 02-11 and 02-12 are off (4).
    assert request.paused_working_days == 6
    provisional_due = request.due_on
    publish(override, calendar, LONGER_BREAK)
    assert request.recompute(date(2027, 2, 16), calendar)
    assert request.paused_working_days == 4
    assert (request.pauses[0].working_days, request.pauses[0].provisional) == (4, False)
    # 24 working days from 01-20 on the official calendar: 02-25 is the 20th, then 02-26, 03-01..03-03.
    assert (provisional_due, request.due_on) == (date(2027, 3, 3), date(2027, 3, 3))
    assert not request.due_on_provisional


def test_a_third_party_limit_and_a_fee_last_day_are_counted_again(override, calendar) -> None:  # type: ignore[no-untyped-def]
    consulting = received_on(JANUARY_20, calendar)
    consulting.pause_for_third_party(date(2027, 2, 1), date(2027, 2, 1), calendar)
    awaiting_fee = received_on(JANUARY_20, calendar)
    awaiting_fee.notify_fee("per_page", 50, 0, date(2027, 2, 1), date(2027, 2, 1), calendar)
    publish(override, calendar, LONGER_BREAK)

    assert consulting.recompute(date(2027, 2, 2), calendar)
    # 15 working days from 02-01: provisionally 02-02..04, 02-11, 02-12, 02-15..19, 02-22..26 → 02-26; officially
    # 02-11 and 02-12 are off → 03-02.
    moved = {d.name: (d.old_date, d.new_date) for d in consulting.events[-1].dates}
    assert moved["third_party_due_on"] == ("2027-02-26", "2027-03-02")
    assert (consulting.third_party_due_on, consulting.third_party_due_provisional) == (date(2027, 3, 2), False)
    assert awaiting_fee.recompute(date(2027, 2, 2), calendar)
    assert awaiting_fee.fee is not None and not awaiting_fee.fee.pay_by_provisional
    assert {d.name for d in awaiting_fee.events[-1].dates} == {"due_on", "pay_by"}


def test_an_official_or_answered_request_is_left_alone(override, calendar) -> None:  # type: ignore[no-untyped-def]
    official = received_on(date(2026, 11, 2), calendar)
    answered = received_on(JANUARY_20, calendar)
    answered.answer("1", "", date(2027, 1, 21), date(2027, 1, 21), calendar)
    answered.events.clear()
    publish(override, calendar, LONGER_BREAK)
    assert not official.recompute(date(2027, 1, 22), calendar) and not answered.recompute(date(2027, 1, 22), calendar)
    assert official.events == answered.events == []


def test_a_draft_deadline_is_counted_again(override, calendar) -> None:  # type: ignore[no-untyped-def]
    entry = CatalogueEntry.draft(content(formed_on="2027-01-20"), DIVISION, JANUARY_20, calendar)
    assert (entry.due_on, entry.due_on_provisional) == (date(2027, 2, 23), True)
    publish(override, calendar, LONGER_BREAK)
    assert entry.recompute(date(2027, 2, 1), calendar)
    assert (entry.due_on, entry.due_on_provisional) == (date(2027, 2, 25), False)
    (event,) = entry.events
    assert isinstance(event, events.CatalogueDraftRecomputed)
    assert (event.due_on.old_date, event.due_on.new_date) == ("2027-02-23", "2027-02-25")


def test_a_correction_period_is_counted_again(override, calendar) -> None:  # type: ignore[no-untyped-def]
    request = received_on(JANUARY_20, calendar)
    request.ask_correction(JANUARY_20, JANUARY_20, calendar, 15)
    # 01-21..22, 01-25..29, 02-01..04 (11), 02-11, 02-12, 02-15, 02-16 (15)
    assert (request.correction_due_on, request.correction_due_provisional) == (date(2027, 2, 16), True)
    publish(override, calendar, LONGER_BREAK)
    assert request.recompute(date(2027, 2, 1), calendar)
    assert (request.correction_due_on, request.correction_due_provisional) == (date(2027, 2, 18), False)
    assert [c.name for c in request.recomputations] == ["due_on", "correction_due_on"]
