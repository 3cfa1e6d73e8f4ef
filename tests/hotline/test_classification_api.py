"""The classification suggestion (分类建议) through the gateway: operators only, advice only, never in intake's way."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest_asyncio
from hotline.adapters import catalogue_file
from hotline.domain.classification import TopicClassifier
from sunshine_kit.auth.principal import Role
from sunshine_kit.identity import Level, StackIdentity

from tests.hotline.conftest import as_staff
from tests.hotline.test_closed_loop import BASE, TICKET
from tests.stack_in_process import InProcessStack, in_process_stack

CLASSIFY = "/api/v1/hotline/classification"
_, CATALOGUE = catalogue_file.load(None, StackIdentity(level=Level.CITY, division="510100", name="示例市"))


async def test_an_operator_gets_a_topic_its_unit_and_the_alternatives(stack) -> None:  # type: ignore[no-untyped-def]
    operator = as_staff(stack, "op-1", Role.HOTLINE_OPERATOR)
    text = "我们单位老板拖欠了三个月工资，打电话也不接，工友们都在讨薪"
    reply = await stack.http("POST", CLASSIFY, json={"text": text}, headers=operator)
    assert reply.status_code == 200, reply.text
    found = reply.json()
    entry = CATALOGUE.for_topic("劳动就业", text)
    assert entry is not None
    assert (found["topic"], found["lead_unit"], found["assisting_units"]) == (
        "劳动就业",
        entry.assignment.lead,
        list(entry.assignment.assisting),
    )
    assert found["confidence"] >= found["threshold"] and found["alternatives"][0]["topic"] == "劳动就业"
    assert set(found["matched_keywords"]) == set(entry.matched) and "拖欠" in found["matched_keywords"]

    empty = await stack.http("POST", CLASSIFY, json={"text": "  "}, headers=operator)
    assert empty.status_code == 400 and empty.json()["error"]["field_violations"][0]["field"] == "text"
    assert (await stack.http("POST", CLASSIFY, json={"text": text})).status_code == 401
    for role, division in ((Role.LEADER, "510100"), (Role.HANDLING_UNIT, "510100"), (Role.HOTLINE_OPERATOR, "510104")):
        headers = as_staff(stack, "someone", role, division)
        assert (await stack.http("POST", CLASSIFY, json={"text": text}, headers=headers)).status_code == 403


@pytest_asyncio.fixture
async def strict_stack(nats_url, tmp_path, monkeypatch, hotline_database_url) -> AsyncIterator[InProcessStack]:  # type: ignore[no-untyped-def]
    """A stack whose threshold no confidence reaches (SUNSHINE_HOTLINE_CLASSIFICATION_THRESHOLD)."""
    monkeypatch.setenv("SUNSHINE_HOTLINE_DATABASE_URL", hotline_database_url)
    monkeypatch.setenv("SUNSHINE_HOTLINE_CLASSIFICATION_THRESHOLD", "1.0")
    async with in_process_stack(nats_url, tmp_path, monkeypatch) as running:
        yield running


async def test_without_a_confident_topic_there_is_no_unit(strict_stack) -> None:  # type: ignore[no-untyped-def]
    operator = as_staff(strict_stack, "op-1", Role.HOTLINE_OPERATOR)
    found = (await strict_stack.http("POST", CLASSIFY, json={"text": "路灯坏了好几盏"}, headers=operator)).json()
    assert found["threshold"] == 1.0
    assert found["topic"] is None and found["lead_unit"] is None and found["matched_keywords"] == []
    assert found["alternatives"][0]["topic"] == "市政设施" and found["confidence"] < 1.0


async def test_a_failing_classifier_does_not_break_intake(stack, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    def broken(self: TopicClassifier, text: str) -> None:
        raise RuntimeError("classifier broken")

    monkeypatch.setattr(TopicClassifier, "classify", broken)
    operator = as_staff(stack, "op-1", Role.HOTLINE_OPERATOR)
    created = await stack.http("POST", BASE, json=TICKET, headers=operator)
    assert created.status_code == 201, created.text
    assert created.json()["state"] == "受理"
    reply = await stack.http("POST", CLASSIFY, json={"text": TICKET["description"]}, headers=operator)
    assert reply.status_code == 503
    error = reply.json()["error"]
    assert error["code"] == "UNAVAILABLE" and "受理工单不受影响" in error["message"]
