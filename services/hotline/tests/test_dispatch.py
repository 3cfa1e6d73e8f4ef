"""The dispatch catalogue (派单目录): suggestions, and the rule that department matters stay with departments."""

from __future__ import annotations

import pytest
from hotline.adapters import catalogue_file
from hotline.domain.dispatch import Assignment, UnitKind
from sunshine_kit.errors import NotFound, ValidationFailed
from sunshine_kit.identity import ChildStack, Level, StackIdentity

COUNTY = StackIdentity(
    level=Level.COUNTY,
    division="510104",
    name="示例区",
    parent_division="510100",
    children=(ChildStack("510104001", "示例街道"),),
)
TAXONOMY, CATALOGUE = catalogue_file.load(None, COUNTY)


def test_keywords_in_the_text_win_over_the_chosen_topic() -> None:
    suggestion = CATALOGUE.suggest("其他", "路口红绿灯坏了，早高峰严重拥堵")
    assert suggestion is not None
    assert (suggestion.topic, suggestion.assignment) == ("交通管理", Assignment("jgj", ("jtj",)))
    assert set(suggestion.matched) == {"红绿灯", "拥堵"}


def test_without_keywords_the_topic_entry_is_suggested() -> None:
    suggestion = CATALOGUE.suggest("教育", "想咨询一下相关政策")
    assert suggestion is not None and suggestion.assignment.lead == "jyj"


def test_nothing_is_suggested_for_an_unknown_topic_without_keywords() -> None:
    assert CATALOGUE.suggest("不存在", "想咨询一下") is None


def test_a_department_matter_is_not_pushed_down_to_a_township() -> None:
    with pytest.raises(ValidationFailed) as refused:
        CATALOGUE.check("交通管理", Assignment("jd001"))
    assert refused.value.violations[0].field == "lead_unit"
    assert "不得下派乡镇" in str(refused.value)


def test_nor_to_a_township_child_stack() -> None:
    child = CATALOGUE.unit("stack-510104001")
    assert child.kind is UnitKind.CHILD_STACK and child.is_township
    with pytest.raises(ValidationFailed, match="不得下派"):
        CATALOGUE.check("环境卫生", Assignment("stack-510104001"))


def test_a_township_matter_may_go_to_a_township_and_a_township_may_assist_a_department() -> None:
    CATALOGUE.check("邻里纠纷", Assignment("jd001"))
    CATALOGUE.check("环境卫生", Assignment("cgj", ("jd001",)))


def test_unknown_units_and_a_lead_that_also_assists_are_refused() -> None:
    with pytest.raises(NotFound, match="nope"):
        CATALOGUE.check("环境卫生", Assignment("nope"))
    with pytest.raises(ValidationFailed, match="assist"):
        CATALOGUE.check("环境卫生", Assignment("cgj", ("cgj",)))


def test_every_default_topic_has_a_unique_service_code_and_a_lead_unit() -> None:
    codes = [t.code for t in TAXONOMY.topics]
    assert len(codes) == len(set(codes)) and all(code.isascii() for code in codes)
    assert {e.topic for e in CATALOGUE.entries} == {t.name for t in TAXONOMY.topics}


def test_the_seed_topics_are_in_the_default_taxonomy() -> None:
    for name in ("环境卫生", "交通管理", "市政设施", "社会保障", "医疗卫生", "教育", "住房", "劳动就业"):
        assert TAXONOMY.by_name(name) is not None


def test_an_unknown_topic_is_refused_naming_the_choices() -> None:
    with pytest.raises(ValidationFailed, match="环境卫生"):
        TAXONOMY.require("天气")
