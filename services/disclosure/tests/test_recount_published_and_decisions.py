"""Counted again when the calendar changes, beyond open requests and drafts: published catalogue versions (their
deadline and `late`), a major decision's notice period and hearing window, and cases counted on a year that was
already official when its schedule is corrected.

The arrangements are illustrative test data, not the State Council's schedules. Provisional 2027: 02-05 (除夕) to
02-08 off, make-up days 02-09 and 02-10. LONGER_BREAK also gives 02-11 and 02-12 off; WORKED_SUNDAY works Sunday
01-31 instead.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path

import pytest
from disclosure.domain.applicants import Channel
from disclosure.domain.catalogue import CatalogueEntry
from disclosure.domain.disclosure_request import DisclosureRequest
from disclosure.domain.major_decision import Consultation, MajorDecision
from sunshine.events.v1 import disclosure_pb2 as events
from sunshine_kit.errors import IllegalTransition, ValidationFailed
from sunshine_kit.testing.calendars import corrected
from sunshine_kit.timestamps import CHINA_TIME
from sunshine_kit.working_days import WorkingDayCalendar

from .requests_fixtures import DIVISION, NOW, intake
from .test_catalogue_lifecycle import content
from .test_recompute_dates import LONGER_BREAK, WORKED_SUNDAY


def write(override: Path, calendar: WorkingDayCalendar, schedule: dict) -> None:  # type: ignore[type-arg]
    override.write_text(json.dumps(schedule))
    calendar.reload()


def at_nine(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 9, tzinfo=CHINA_TIME)


# --- published catalogue versions ----------------------------------------------------------------------------


def published(calendar: WorkingDayCalendar, on: date) -> CatalogueEntry:
    entry = CatalogueEntry.draft(content(formed_on="2027-01-20"), DIVISION, date(2027, 1, 20), calendar)
    entry.publish(at_nine(on))
    entry.events.clear()
    return entry


def test_a_late_flag_from_a_provisional_deadline_that_moved_later_is_withdrawn(override, calendar) -> None:  # type: ignore[no-untyped-def]
    entry = published(calendar, date(2027, 2, 24))  # the day after the provisional 02-23
    assert entry.late and entry.versions[0].deadline == (date(2027, 2, 23), True)

    write(override, calendar, LONGER_BREAK)
    assert entry.recompute(date(2027, 2, 25), calendar)

    assert not entry.late and entry.versions[0].deadline == (date(2027, 2, 25), False)
    assert (entry.due_on, entry.due_on_provisional) == (date(2027, 2, 25), False)
    (event,) = entry.events
    assert isinstance(event, events.CatalogueEntryRecomputed)
    (version,) = event.versions
    assert (version.version, version.old_late, version.late) == (1, True, False)
    assert (version.due_on.old_date, version.due_on.new_date, version.due_on.new_provisional) == (
        "2027-02-23", "2027-02-25", False,
    )  # fmt: skip
    entry.events.clear()
    assert not entry.recompute(date(2027, 2, 26), calendar)  # official now: nothing more to do


def test_a_version_published_after_the_official_deadline_is_late_by_it(override, calendar) -> None:  # type: ignore[no-untyped-def]
    entry = published(calendar, date(2027, 2, 23))  # on the provisional last day
    assert not entry.late
    write(override, calendar, WORKED_SUNDAY)  # 01-31 worked: the 20th working day is 02-22
    assert entry.recompute(date(2027, 2, 24), calendar)
    assert entry.late and entry.events[0].versions[0].late


def test_every_version_is_counted_and_a_withdrawn_draft_is_not(override, calendar) -> None:  # type: ignore[no-untyped-def]
    entry = published(calendar, date(2027, 1, 25))
    entry.revise(content(formed_on="2027-01-28"), at_nine(date(2027, 2, 1)), calendar)
    entry.events.clear()
    withdrawn = CatalogueEntry.draft(content(formed_on="2027-01-20"), DIVISION, date(2027, 1, 20), calendar)
    withdrawn.withdraw("不再公开", date(2027, 1, 21))
    write(override, calendar, LONGER_BREAK)
    assert entry.recompute(date(2027, 2, 2), calendar)
    assert [v.version for v in entry.events[0].versions] == [1, 2]
    assert not withdrawn.recompute(date(2027, 2, 2), calendar)


# --- major decisions ---------------------------------------------------------------------------------------------

# Opening 01-25: 01-26..29, 02-01..04 (8), provisionally 02-11, 02-12 (10); with LONGER_BREAK 02-15, 02-16.
OPENS, PROVISIONAL_EARLIEST_END, OFFICIAL_EARLIEST_END = date(2027, 1, 25), date(2027, 2, 12), date(2027, 2, 16)


def decision(
    calendar: WorkingDayCalendar, opens_on: date = OPENS, ends_on: date = PROVISIONAL_EARLIEST_END
) -> MajorDecision:
    c = Consultation("示例区加装电梯补助办法（征求意见稿）", "第一条……", "示例区住建局", (), opens_on, ends_on)
    opened = MajorDecision.open(c, opens_on, calendar)
    assert opened.notice_provisional
    opened.events.clear()
    return opened


def test_a_notice_found_short_on_the_official_calendar_is_flagged_and_cannot_close(override, calendar) -> None:  # type: ignore[no-untyped-def]
    notice = decision(calendar)
    assert (notice.notice_earliest_end, notice.notice_short) == (PROVISIONAL_EARLIEST_END, False)

    write(override, calendar, LONGER_BREAK)
    assert notice.recompute(date(2027, 2, 1), calendar)

    assert (notice.notice_earliest_end, notice.notice_provisional, notice.notice_short) == (
        OFFICIAL_EARLIEST_END, False, True,
    )  # fmt: skip
    (event,) = notice.events
    assert isinstance(event, events.DecisionConsultationRecomputed)
    assert (event.notice_working_days, event.notice_short) == (8, True)
    [moved] = event.dates
    assert (moved.name, moved.old_date, moved.new_date) == ("notice_earliest_end", "2027-02-12", "2027-02-16")
    assert [c.name for c in notice.recomputations] == ["notice_earliest_end"]
    with pytest.raises(IllegalTransition, match="extend it to 2027-02-16"):
        notice.close(date(2027, 2, 15))


def test_the_officer_extends_a_short_notice_and_then_closes_it(override, calendar) -> None:  # type: ignore[no-untyped-def]
    notice = decision(calendar)
    notice.schedule_hearing(date(2027, 2, 15), calendar)
    write(override, calendar, LONGER_BREAK)
    notice.recompute(date(2027, 2, 1), calendar)
    notice.events.clear()

    with pytest.raises(ValidationFailed, match="2027-02-16 or later"):
        notice.extend_notice(date(2027, 2, 15), date(2027, 2, 2), calendar)
    notice.extend_notice(OFFICIAL_EARLIEST_END, date(2027, 2, 2), calendar)

    assert (notice.consultation.notice_ends_on, notice.notice_short, notice.hearing_on) == (
        OFFICIAL_EARLIEST_END, False, None,
    )  # fmt: skip
    (event,) = notice.events
    assert isinstance(event, events.DecisionNoticeExtended)
    assert (event.old_notice_ends_on, event.notice_ends_on, event.notice_working_days, event.hearing_cancelled) == (
        "2027-02-12", "2027-02-16", 10, True,
    )  # fmt: skip
    notice.close(date(2027, 2, 17))


def test_a_hearing_after_its_recounted_window_is_flagged(override, calendar) -> None:  # type: ignore[no-untyped-def]
    # Opening 01-14, the notice ends 01-29; provisionally the window's 5 working days are 02-01..04, 02-11.
    notice = decision(calendar, date(2027, 1, 14), date(2027, 1, 29))
    notice.schedule_hearing(date(2027, 2, 11), calendar)
    assert (notice.hearing_by, notice.hearing_by_provisional) == (date(2027, 2, 11), True)

    write(override, calendar, WORKED_SUNDAY)  # 01-31 worked: the window ends 02-04
    assert notice.recompute(date(2027, 2, 1), calendar)

    assert (notice.hearing_by, notice.hearing_outside_window) == (date(2027, 2, 4), True)
    assert notice.events[-1].hearing_outside_window and not notice.events[-1].notice_short
    notice.schedule_hearing(date(2027, 2, 3), calendar)
    assert not notice.hearing_outside_window


def test_a_decision_taken_is_not_counted_again(override, calendar) -> None:  # type: ignore[no-untyped-def]
    taken = decision(calendar, OPENS, OFFICIAL_EARLIEST_END)
    taken.close(date(2027, 2, 17))
    taken.record_risk_assessment(True)
    taken.record_expert_review(date(2027, 2, 18))
    taken.decide(date(2027, 2, 19))
    write(override, calendar, LONGER_BREAK)
    assert not taken.recompute(date(2027, 2, 20), calendar)


# --- a year already official, corrected ---------------------------------------------------------------------------


def test_a_correction_of_an_official_year_moves_an_official_deadline(override, calendar) -> None:  # type: ignore[no-untyped-def]
    received = date(2026, 11, 2)
    request = DisclosureRequest.receive(intake(), DIVISION, Channel.IN_PERSON, received, NOW, NOW.date(), calendar)[0]
    assert (request.due_on, request.due_on_provisional) == (date(2026, 11, 30), False)
    request.events.clear()

    write(override, calendar, corrected(2026, "2026-11-20"))
    assert request.recompute(date(2026, 11, 21), calendar)

    assert (request.due_on, request.due_on_provisional) == (date(2026, 12, 1), False)
    [change] = request.recomputations
    assert (change.name, change.old, change.new, change.old_provisional) == (
        "due_on", date(2026, 11, 30), date(2026, 12, 1), False,
    )  # fmt: skip
