"""Drafts before publication: edited in place (drafts only), or withdrawn (撤回: kept, never public)."""

from __future__ import annotations

from datetime import date

import pytest
from disclosure.domain.catalogue import EntryState
from sunshine.events.v1 import disclosure_pb2 as events
from sunshine_kit.errors import IllegalTransition, ValidationFailed
from sunshine_kit.timestamps import china_date

from .test_catalogue_lifecycle import CALENDAR, MARCH, content, draft, published


def test_editing_a_draft_replaces_its_content_and_moves_its_clock() -> None:
    entry = draft()
    index_number = entry.index_number
    entry.edit(content(title="锦江区老旧小区改造资金管理办法（修订稿）", formed_on="2026-02-26"), MARCH, CALENDAR)
    assert (entry.state, entry.version, entry.content.title) == (
        EntryState.DRAFT,
        0,
        "锦江区老旧小区改造资金管理办法（修订稿）",
    )
    assert (entry.due_on, entry.index_number) == (date(2026, 3, 25), index_number)
    (event,) = entry.events
    assert isinstance(event, events.CatalogueDraftEdited)
    assert (event.entry_id, event.formed_on, event.due_on) == (entry.id, "2026-02-26", "2026-03-25")
    assert "老旧小区" not in event.SerializeToString().decode("utf-8", "ignore")  # a draft's text stays local


def test_an_edit_is_validated_like_a_new_draft() -> None:
    entry = draft()
    with pytest.raises(ValidationFailed) as raised:
        entry.edit(content(title=" "), MARCH, CALENDAR)
    assert [v.field for v in raised.value.violations] == ["title"]
    assert entry.content.title == "锦江区老旧小区改造资金管理办法" and entry.events == []


def test_a_published_entry_is_revised_not_edited() -> None:
    entry = published()
    with pytest.raises(IllegalTransition) as raised:
        entry.edit(content(title="改"), MARCH, CALENDAR)
    assert raised.value.current_state == "published"


def test_a_withdrawn_draft_is_kept_never_public_and_final() -> None:
    entry = draft()
    entry.withdraw(" 政策调整，不再发布 ", china_date(MARCH))
    assert (entry.state, entry.withdrawn_on, entry.withdrawal_reason) == (
        EntryState.WITHDRAWN,
        date(2026, 3, 2),
        "政策调整，不再发布",
    )
    assert (entry.is_public, entry.validity, entry.content.title) == (False, "", "锦江区老旧小区改造资金管理办法")
    (event,) = entry.events
    assert isinstance(event, events.CatalogueDraftWithdrawn)
    assert (event.withdrawn_on, event.force_level) == ("2026-03-02", "行政规范性文件")
    for action in (lambda: entry.publish(MARCH), lambda: entry.edit(content(), MARCH, CALENDAR)):
        with pytest.raises(IllegalTransition) as raised:
            action()
        assert raised.value.current_state == "withdrawn"


def test_withdrawal_needs_a_reason_and_a_draft() -> None:
    with pytest.raises(ValidationFailed) as raised:
        draft().withdraw("  ", china_date(MARCH))
    assert [v.field for v in raised.value.violations] == ["reason"]
    with pytest.raises(IllegalTransition) as refused:
        published().withdraw("不再公开", china_date(MARCH))
    assert refused.value.current_state == "published"
