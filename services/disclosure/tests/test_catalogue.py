"""Proactive disclosure (主动公开): publish within 20 working days of formation (Art. 26).

Dates checked against the installed chinesecalendar 1.11.0 data: 春节 2026 02-15..02-23 off with Saturdays
02-14 and 02-28 worked; 国庆 2026 10-01..10-07 off with Saturday 10-10 worked.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

import pytest
from disclosure.domain.catalogue import CatalogueEntry
from disclosure.domain.catalogue_content import MAX_TITLE, EntryContent
from sunshine.events.v1 import disclosure_pb2 as events
from sunshine_kit.errors import ValidationFailed
from sunshine_kit.timestamps import CHINA_TIME, from_timestamp
from sunshine_kit.working_days import WorkingDayCalendar

CALENDAR = WorkingDayCalendar()
DIVISION = "510104"
# Day 20 after 2026-02-13: 02-14, 02-24..02-28, 03-02..03-06, 03-09..03-13, 03-16..03-19.
FORMED_BEFORE_SPRING_FESTIVAL = "2026-02-13"
DUE_AFTER_SPRING_FESTIVAL = date(2026, 3, 19)
PUBLISHED_AT = datetime(2026, 3, 2, 10, 0, tzinfo=CHINA_TIME)


def content(**changes: str) -> EntryContent:
    fields = {
        "title": "关于印发《锦江区老旧小区改造实施方案》的通知",
        "issuing_organ": "锦江区人民政府办公室",
        "document_number": "锦府办发〔2026〕3号",
        "formed_on": FORMED_BEFORE_SPRING_FESTIVAL,
        "body": "各街道办事处、区级各部门：……",
    }
    return EntryContent(**{**fields, **changes})


def publish(published_at: datetime = PUBLISHED_AT, **changes: str) -> CatalogueEntry:
    entry = CatalogueEntry.draft(content(**changes), DIVISION, published_at.astimezone(CHINA_TIME).date(), CALENDAR)
    entry.publish(published_at)
    return entry


def violated_fields(published_at: datetime = PUBLISHED_AT, **changes: str) -> list[str]:
    with pytest.raises(ValidationFailed) as raised:
        publish(published_at, **changes)
    return [v.field for v in raised.value.violations]


# --- the 20-working-day clock -----------------------------------------------------------------------------


def test_due_on_is_20_working_days_after_formation_across_spring_festival() -> None:
    assert publish().due_on == DUE_AFTER_SPRING_FESTIVAL


def test_due_on_is_20_working_days_after_formation_across_national_day() -> None:
    entry = publish(datetime(2026, 10, 9, 10, 0, tzinfo=CHINA_TIME), formed_on="2026-09-30")
    assert entry.due_on == date(2026, 11, 3)


def test_formation_on_a_holiday_counts_from_the_next_working_day() -> None:
    entry = publish(datetime(2026, 10, 9, 10, 0, tzinfo=CHINA_TIME), formed_on="2026-10-01")
    assert entry.due_on == date(2026, 11, 3)


def test_published_on_the_due_day_is_not_late() -> None:
    entry = publish(datetime(2026, 3, 19, 23, 30, tzinfo=CHINA_TIME))
    assert entry.late is False


def test_published_the_day_after_the_due_day_is_late() -> None:
    entry = publish(datetime(2026, 3, 20, 0, 30, tzinfo=CHINA_TIME))
    assert entry.late is True


def test_lateness_is_judged_on_the_china_date_not_the_utc_date() -> None:
    # Both moments fall on 2026-03-19 in UTC; the second is already 03-20 in China.
    assert publish(datetime(2026, 3, 19, 15, 59, 59, tzinfo=UTC)).late is False
    assert publish(datetime(2026, 3, 19, 16, 0, 0, tzinfo=UTC)).late is True


# --- the entry and its event ------------------------------------------------------------------------------


def test_published_entry_keeps_the_draft() -> None:
    entry = publish(
        title="  关于印发方案的通知 ", issuing_organ=" 锦江区人民政府 ", document_number=" 锦府发〔2026〕1号 "
    )
    assert (entry.content.title, entry.content.issuing_organ, entry.content.document_number) == (
        "关于印发方案的通知",
        "锦江区人民政府",
        "锦府发〔2026〕1号",
    )
    assert entry.content.formed_date == date(2026, 2, 13)
    assert entry.published_at == PUBLISHED_AT
    assert uuid.UUID(entry.id).version == 4


def test_index_number_is_division_year_and_id_prefix() -> None:
    entry = publish()
    assert entry.index_number == f"510104-2026-{entry.id[:8]}"


def test_publish_records_one_catalogue_entry_published_event() -> None:
    entry = publish()
    assert len(entry.events) == 1
    event = entry.events[0]
    assert isinstance(event, events.CatalogueEntryPublished)
    assert (event.entry_id, event.index_number) == (entry.id, entry.index_number)
    assert (event.title, event.issuing_organ, event.document_number) == (
        entry.content.title,
        entry.content.issuing_organ,
        entry.content.document_number,
    )
    assert (event.formed_on, event.due_on) == ("2026-02-13", "2026-03-19")
    assert from_timestamp(event.published_at) == PUBLISHED_AT
    assert event.late is False


def test_event_of_a_late_entry_says_late() -> None:
    assert publish(datetime(2026, 3, 20, 9, 0, tzinfo=CHINA_TIME)).events[0].late is True


# --- validation -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"title": ""}, "title"),
        ({"title": "   "}, "title"),
        ({"title": "题" * (MAX_TITLE + 1)}, "title"),
        ({"issuing_organ": " "}, "issuing_organ"),
        ({"formed_on": ""}, "formed_on"),
        ({"formed_on": "2026-02-30"}, "formed_on"),
        ({"formed_on": "2026/02/13"}, "formed_on"),
        ({"formed_on": "13 February 2026"}, "formed_on"),
        ({"body": "\n"}, "body"),
    ],
    ids=lambda value: None if isinstance(value, dict) else value,
)
def test_each_invalid_field_is_named(changes: dict[str, str], field: str) -> None:
    assert violated_fields(**changes) == [field]


def test_title_at_the_limit_is_accepted() -> None:
    assert publish(title="题" * MAX_TITLE).content.title == "题" * MAX_TITLE


def test_formed_on_after_the_publication_day_is_refused() -> None:
    assert violated_fields(datetime(2026, 3, 2, 10, 0, tzinfo=CHINA_TIME), formed_on="2026-03-03") == ["formed_on"]


def test_formed_on_the_publication_day_in_china_is_not_in_the_future() -> None:
    # 2026-03-01 17:00 UTC is already 2026-03-02 in China.
    entry = publish(datetime(2026, 3, 1, 17, 0, tzinfo=UTC), formed_on="2026-03-02")
    assert entry.content.formed_date == date(2026, 3, 2)


@pytest.mark.parametrize("formed_on", ["20260213", "2026W075"])
def test_formed_on_must_be_written_yyyy_mm_dd(formed_on: str) -> None:
    assert violated_fields(formed_on=formed_on) == ["formed_on"]


def test_several_invalid_fields_are_reported_together() -> None:
    with pytest.raises(ValidationFailed) as raised:
        publish(title="", formed_on="2026-99-01", body="")
    assert [v.field for v in raised.value.violations] == ["title", "formed_on", "body"]
    assert "formed_on: must be a date YYYY-MM-DD" in str(raised.value)
