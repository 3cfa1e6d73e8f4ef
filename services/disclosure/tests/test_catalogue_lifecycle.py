"""The catalogue lifecycle: draft → published → revised (new version) → repealed, history kept; interpretations.

Dates checked against the installed chinesecalendar 1.11.0 data (国庆 2026: 10-01..10-07 off, Saturday 10-10
worked).
"""

from __future__ import annotations

from datetime import date, datetime

import pytest
from disclosure.domain.catalogue import IN_FORCE, REPEALED, REVISED, CatalogueEntry, EntryState
from disclosure.domain.catalogue_content import Attachment, EntryContent
from sunshine.events.v1 import disclosure_pb2 as events
from sunshine_kit.errors import IllegalTransition, ValidationFailed
from sunshine_kit.timestamps import CHINA_TIME, china_date
from sunshine_kit.working_days import WorkingDayCalendar

CALENDAR = WorkingDayCalendar()
DIVISION = "510104"
MARCH = datetime(2026, 3, 2, 10, 0, tzinfo=CHINA_TIME)
OCTOBER = datetime(2026, 10, 12, 10, 0, tzinfo=CHINA_TIME)


def content(**changes: object) -> EntryContent:
    fields: dict[str, object] = {
        "title": "锦江区老旧小区改造资金管理办法",
        "issuing_organ": "锦江区人民政府",
        "document_number": "锦府发〔2026〕1号",
        "formed_on": "2026-02-13",
        "body": "为加强老旧小区改造资金管理，制定本办法。",
        "force_level": "行政规范性文件",
    }
    return EntryContent(**{**fields, **changes})  # type: ignore[arg-type]


def draft(now: datetime = MARCH, policy: CatalogueEntry | None = None, **changes: object) -> CatalogueEntry:
    return CatalogueEntry.draft(content(**changes), DIVISION, china_date(now), CALENDAR, policy)


def published(now: datetime = MARCH, **changes: object) -> CatalogueEntry:
    entry = draft(now, **changes)
    entry.publish(now)
    entry.events.clear()
    return entry


# --- drafts ----------------------------------------------------------------------------------------------------


def test_a_draft_has_its_clock_but_no_version_and_no_event() -> None:
    entry = draft()
    assert (entry.state, entry.version, entry.published_at, entry.validity) == (EntryState.DRAFT, 0, None, "")
    assert entry.due_on == date(2026, 3, 19)
    assert entry.is_public is False
    assert entry.events == []


def test_publishing_a_draft_makes_version_1_in_force() -> None:
    entry = draft()
    entry.publish(MARCH)
    assert (entry.state, entry.version, entry.validity) == (EntryState.PUBLISHED, 1, IN_FORCE)
    assert [type(e) for e in entry.events] == [events.CatalogueEntryPublished]


def test_publishing_twice_is_refused_with_the_current_state() -> None:
    entry = published()
    with pytest.raises(IllegalTransition) as raised:
        entry.publish(MARCH)
    assert raised.value.current_state == "published"


# --- the Art. 12 metadata ----------------------------------------------------------------------------------------


def test_the_full_metadata_is_kept() -> None:
    entry = published(
        summary="规范改造资金的拨付与监督",
        category="城乡建设",
        channels=("website", "gazette", "website"),
        in_force_on="2026-04-01",
        attachments=(Attachment("附件1：资金拨付流程图", "https://example.gov.cn/files/1.pdf"),),
    )
    assert entry.content.summary == "规范改造资金的拨付与监督"
    assert entry.content.category == "城乡建设"
    assert entry.content.channels == ("website", "gazette")
    assert entry.content.in_force_date == date(2026, 4, 1)
    assert entry.content.attachments[0].reference == "https://example.gov.cn/files/1.pdf"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"channels": ()}, "channels"),
        ({"channels": ("website", "fax")}, "channels"),
        ({"in_force_on": "2026-13-01"}, "in_force_on"),
        ({"summary": "概" * 501}, "summary"),
        ({"category": "类" * 51}, "category"),
        ({"attachments": (Attachment("", "https://example.gov.cn/1.pdf"),)}, "attachments"),
        ({"attachments": (Attachment("附件", " "),)}, "attachments"),
        ({"force_level": "法律"}, "force_level"),
    ],
    ids=lambda value: None if isinstance(value, dict) else value,
)
def test_each_invalid_metadata_field_is_named(changes: dict[str, object], field: str) -> None:
    with pytest.raises(ValidationFailed) as raised:
        draft(**changes)
    assert [v.field for v in raised.value.violations] == [field]


# --- revision ------------------------------------------------------------------------------------------------


def test_revision_adds_a_version_on_its_own_clock_and_keeps_the_old_one() -> None:
    entry = published()
    entry.revise(content(formed_on="2026-09-30", body="修订后的办法。"), OCTOBER, CALENDAR)
    assert entry.version == 2
    assert entry.content.body == "修订后的办法。"
    assert entry.due_on == date(2026, 11, 3)  # 20 working days after 09-30, across 国庆 and the 调休 Saturday
    first, second = entry.versions
    assert first.content.body == "为加强老旧小区改造资金管理，制定本办法。"
    assert [entry.validity_of(v) for v in entry.versions] == [REVISED, IN_FORCE]
    assert (first.due_on, second.due_on) == (date(2026, 3, 19), date(2026, 11, 3))


def test_revision_emits_revised_with_the_late_flag() -> None:
    entry = published()
    late = datetime(2026, 11, 4, 9, 0, tzinfo=CHINA_TIME)
    entry.revise(content(formed_on="2026-09-30"), late, CALENDAR)
    (event,) = entry.events
    assert isinstance(event, events.CatalogueEntryRevised)
    assert (event.entry_id, event.version, event.due_on, event.late) == (entry.id, 2, "2026-11-03", True)


def test_a_change_cannot_precede_the_current_version() -> None:
    entry = published()
    with pytest.raises(ValidationFailed) as raised:
        entry.revise(content(formed_on="2026-02-12"), OCTOBER, CALENDAR)
    assert [v.field for v in raised.value.violations] == ["formed_on"]


@pytest.mark.parametrize("make", [draft, lambda: _repealed()])
def test_only_a_published_entry_can_be_revised(make) -> None:  # type: ignore[no-untyped-def]
    entry = make()
    with pytest.raises(IllegalTransition) as raised:
        entry.revise(content(), OCTOBER, CALENDAR)
    assert raised.value.current_state == str(entry.state)


# --- repeal ------------------------------------------------------------------------------------------------------


def _repealed() -> CatalogueEntry:
    entry = published()
    entry.repeal(date(2026, 10, 9), china_date(OCTOBER))
    return entry


def test_repeal_marks_the_entry_and_its_last_version_repealed() -> None:
    entry = published()
    entry.revise(content(formed_on="2026-06-01"), OCTOBER, CALENDAR)
    entry.repeal(date(2026, 10, 9), china_date(OCTOBER))
    assert (entry.state, entry.validity, entry.repealed_on) == (EntryState.REPEALED, REPEALED, date(2026, 10, 9))
    assert [entry.validity_of(v) for v in entry.versions] == [REVISED, REPEALED]
    assert entry.is_public is True
    event = entry.events[-1]
    assert isinstance(event, events.CatalogueEntryRepealed)
    assert (event.repealed_on, event.force_level) == ("2026-10-09", "行政规范性文件")


@pytest.mark.parametrize("repealed_on", [date(2026, 2, 12), date(2026, 10, 13)])
def test_repeal_date_lies_between_formation_and_today(repealed_on: date) -> None:
    entry = published()
    with pytest.raises(ValidationFailed) as raised:
        entry.repeal(repealed_on, china_date(OCTOBER))
    assert [v.field for v in raised.value.violations] == ["repealed_on"]


def test_repealing_twice_or_a_draft_is_refused_with_the_current_state() -> None:
    for entry, state in ((_repealed(), "repealed"), (draft(), "draft")):
        with pytest.raises(IllegalTransition) as raised:
            entry.repeal(None, china_date(OCTOBER))
        assert raised.value.current_state == state


# --- policy interpretations (政策解读) -------------------------------------------------------------------------


def test_an_interpretation_links_to_its_published_policy() -> None:
    policy = published()
    reading = draft(policy=policy, title="图解：老旧小区改造资金管理办法", force_level="其他")
    reading.publish(MARCH, policy)
    published_event, linked = reading.events
    assert published_event.interprets == policy.id
    assert isinstance(linked, events.PolicyInterpretationLinked)
    assert (linked.interpretation_id, linked.policy_id, linked.policy_force_level) == (
        reading.id,
        policy.id,
        "行政规范性文件",
    )


def test_an_interpretation_waits_for_its_policy_to_be_published() -> None:
    policy = draft()
    reading = draft(policy=policy, title="解读")
    with pytest.raises(ValidationFailed) as raised:
        reading.publish(MARCH, policy)
    assert [v.field for v in raised.value.violations] == ["interprets"]
    assert reading.state == EntryState.DRAFT


def test_an_interpretation_of_a_repealed_policy_is_refused() -> None:
    policy = published()
    reading = draft(policy=policy, title="解读")
    policy.repeal(date(2026, 3, 2), date(2026, 3, 2))
    with pytest.raises(ValidationFailed):
        reading.publish(MARCH, policy)


def test_an_interpretation_cannot_explain_another_interpretation() -> None:
    policy = published()
    reading = draft(policy=policy, title="解读")
    with pytest.raises(ValidationFailed) as raised:
        draft(policy=reading, title="解读的解读")
    assert [v.field for v in raised.value.violations] == ["interprets"]
