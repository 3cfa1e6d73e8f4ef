"""Likely duplicates (并单) on crafted near-duplicates: same caller, or same place and similar text."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hotline.domain.duplicates import SAME_CALLER, SIMILAR_TEXT, Candidate, DuplicateRule, similarity

NOW = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)
RULE = DuplicateRule(window=timedelta(days=7), threshold=0.5)
ORIGINAL = "春熙路18号小区门口垃圾堆放三天无人清运，气味很大，请尽快处理。"

NEAR_DUPLICATES = [
    "春熙路18号小区门口的垃圾堆了三天都没人清运，味道很大，请尽快处理！",
    "春熙路 18 号小区门口垃圾堆放三天无人清运 气味很大",
    "小区门口垃圾堆放三天无人清运，气味很大，春熙路18号，请处理",
]
DIFFERENT = [
    "春熙路18号小区电梯经常故障，物业不维修。",
    "路口红绿灯坏了，早高峰严重拥堵。",
    "想咨询一下社保转移需要什么材料。",
]


def candidate(text: str, *, place: str = "510104", caller: str | None = None, age: timedelta = timedelta(days=1)):  # type: ignore[no-untyped-def]
    return Candidate("old", NOW - age, place, text, caller)


@pytest.mark.parametrize("text", NEAR_DUPLICATES)
def test_rewordings_of_the_same_matter_score_above_the_threshold(text: str) -> None:
    assert similarity(ORIGINAL, text) >= RULE.threshold
    [match] = RULE.matches(text, "510104", None, NOW, [candidate(ORIGINAL)])
    assert match.reason == SIMILAR_TEXT and match.score >= 0.5


@pytest.mark.parametrize("text", DIFFERENT)
def test_other_matters_in_the_same_place_are_not_flagged(text: str) -> None:
    assert similarity(ORIGINAL, text) < RULE.threshold
    assert RULE.matches(text, "510104", None, NOW, [candidate(ORIGINAL)]) == []


def test_similar_text_about_another_place_is_not_flagged() -> None:
    assert RULE.matches(ORIGINAL, "510105", None, NOW, [candidate(ORIGINAL)]) == []


def test_the_same_caller_is_flagged_whatever_the_text_and_place() -> None:
    [match] = RULE.matches("路灯不亮", "510105", "k1", NOW, [candidate(ORIGINAL, caller="k1")])
    assert match.reason == SAME_CALLER


def test_outside_the_window_nothing_is_flagged() -> None:
    old = candidate(ORIGINAL, caller="k1", age=timedelta(days=7, seconds=1))
    assert RULE.matches(ORIGINAL, "510104", "k1", NOW, [old]) == []


def test_best_match_first() -> None:
    weaker = Candidate("weaker", NOW, "510104", NEAR_DUPLICATES[0], None)
    same = Candidate("same", NOW, "510104", ORIGINAL, None)
    assert [m.ticket_id for m in RULE.matches(ORIGINAL, "510104", None, NOW, [weaker, same])] == ["same", "weaker"]


def test_similarity_is_symmetric_bounded_and_ignores_punctuation() -> None:
    assert similarity("垃圾没人清运", "垃圾，没人 清运！") == 1.0
    assert similarity("", "垃圾") == 0.0
    assert similarity(ORIGINAL, DIFFERENT[0]) == similarity(DIFFERENT[0], ORIGINAL)
