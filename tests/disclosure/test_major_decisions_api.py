"""Major decisions (重大行政决策) through the gateway, on SQLite and PostgreSQL: the consultation's notice and
steps, public comments that stay local, refusals naming the field or the current state, and the events."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sunshine.events.v1 import disclosure_pb2 as events
from sunshine_kit.auth.principal import Role
from sunshine_kit.envelope import unpack

from tests.disclosure.helpers import events_of

API = "/api/v1/disclosure/decisions"
# Opening 2026-09-28, the 10th working day is 10-16 (国庆 off, Saturday 10-10 worked); the hearing window is
# 10-19 to 10-23.
CONSULTATION = {
    "title": "锦江区老旧小区加装电梯补助办法（征求意见稿）",
    "draft_text": "第一条 为推进既有住宅加装电梯，制定本办法。",
    "lead_unit": "锦江区住房和城乡建设局",
    "responsible_units": ["锦江区财政局", "各街道办事处"],
    "opens_on": "2026-09-28",
    "notice_ends_on": "2026-10-16",
}
COMMENT = {"text": "建议补助标准按楼层分档。", "commenter_name": "李大爷", "commenter_contact": "13812345678"}


class Clock:
    """The disclosure service's clock, set by the test (09:00 in China on the given day)."""

    def __init__(self) -> None:
        self.now = datetime(2026, 9, 28, 1, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def set_day(self, month: int, day: int) -> None:
        self.now = datetime(2026, month, day, 1, tzinfo=UTC)


@pytest.fixture
def clock(monkeypatch) -> Clock:  # type: ignore[no-untyped-def]
    clock = Clock()
    monkeypatch.setattr("disclosure.main.utc_now", clock)
    return clock


@pytest.fixture
async def stack(clock, stack):  # type: ignore[no-untyped-def]
    """The conftest's stack, built after the clock is in place."""
    return stack


async def _staff(stack, method: str, path: str, body: object = None, status: int = 200) -> object:  # type: ignore[no-untyped-def]
    reply = await stack.http(method, path, json=body, headers=stack.token(Role.DISCLOSURE_OFFICER))
    assert reply.status_code == status, reply.text
    return reply.json()


async def _act(stack, decision_id: str, status: int = 200, **body: object) -> dict:  # type: ignore[no-untyped-def]
    return await _staff(stack, "POST", f"{API}/{decision_id}/actions", body, status)  # type: ignore[return-value]


def _feedback(comments: list[dict]) -> dict:  # type: ignore[type-arg]
    first, second = comments
    return {
        "feedback_explanation": "共收到意见2条，采纳1条，未采纳1条。",
        "adoptions": [
            {"comment_id": first["id"], "summary": "建议按楼层分档补助", "adoption": "adopted"},
            {"comment_id": second["id"], "summary": "建议补偿低楼层住户", "adoption": "not_adopted",
             "reason": "补偿由业主协商确定"},
        ],
    }  # fmt: skip


async def _opened(stack, **changes: object) -> dict:  # type: ignore[no-untyped-def]
    return await _staff(stack, "POST", API, {**CONSULTATION, **changes}, 201)  # type: ignore[return-value]


async def test_a_consultation_from_notice_to_the_adoption_of_comments(stack, js, clock: Clock) -> None:  # type: ignore[no-untyped-def]
    decision = await _opened(stack)
    decision_id = decision["id"]
    assert (decision["state"], decision["lead_unit"], decision["responsible_units"]) == (
        "consulting",
        "锦江区住房和城乡建设局",
        ["锦江区财政局", "各街道办事处"],
    )
    listed = (await stack.http("GET", API)).json()
    assert [d["id"] for d in listed] == [decision_id]

    for body in (COMMENT, {"text": "希望增加低楼层住户的补偿。"}):
        reply = await stack.http("POST", f"{API}/{decision_id}/comments", json=body)
        assert reply.status_code == 201, reply.text
        clock.now += timedelta(minutes=1)
    public = await stack.http("GET", f"{API}/{decision_id}")
    assert public.json()["comment_count"] == 2
    for personal in (COMMENT["text"], COMMENT["commenter_name"], COMMENT["commenter_contact"]):
        assert personal not in public.text and personal not in (await stack.http("GET", API)).text
    comments = await _staff(stack, "GET", f"{API}/{decision_id}/comments")
    assert [(c["text"], c["commenter_name"], c["commenter_contact"]) for c in comments] == [  # type: ignore[attr-defined]
        (COMMENT["text"], "李大爷", "13812345678"),
        ("希望增加低楼层住户的补偿。", "", ""),
    ]

    clock.set_day(10, 19)
    late = await stack.http("POST", f"{API}/{decision_id}/comments", json=COMMENT)
    assert late.status_code == 409 and late.json()["error"]["current_state"] == "consulting"
    steps = [
        ({"action": "close", "on": "2026-10-19"}, "closed"),
        ({"action": "schedule_hearing", "hearing_on": "2026-10-21"}, "closed"),
        ({"action": "record_risk_assessment", "risk_passed": True}, "closed"),
        ({"action": "record_expert_review", "on": "2026-10-19"}, "closed"),
        ({"action": "decide"}, "decided"),
        ({"action": "publish_feedback", **_feedback(comments)}, "decided"),  # type: ignore[arg-type]
    ]
    for body, state in steps:
        assert (await _act(stack, decision_id, **body))["state"] == state, body
    final = (await stack.http("GET", f"{API}/{decision_id}")).json()
    assert (final["closed_on"], final["hearing_on"], final["risk_assessment"], final["decided_on"]) == (
        "2026-10-19",
        "2026-10-21",
        "passed",
        "2026-10-19",
    )
    assert (final["feedback_published_on"], final["adopted_count"], final["not_adopted_count"]) == ("2026-10-19", 1, 1)
    assert final["feedback_explanation"] == "共收到意见2条，采纳1条，未采纳1条。"
    assert [(a["number"], a["summary"], a["adoption"], a["reason"]) for a in final["adoptions"]] == [
        (1, "建议按楼层分档补助", "adopted", ""),
        (2, "建议补偿低楼层住户", "not_adopted", "补偿由业主协商确定"),
    ]
    listed = (await stack.http("GET", API, params={"state": "decided"})).text
    for personal in (COMMENT["text"], COMMENT["commenter_name"], COMMENT["commenter_contact"]):
        assert personal not in str(final) and personal not in listed
    assert [d["id"] for d in (await stack.http("GET", API, params={"state": "decided"})).json()] == [decision_id]

    stored = await events_of(js, "sunshine.events.v1.Decision", 4)
    assert [e.type.removeprefix("sunshine.events.v1.") for e in stored] == [
        "DecisionConsultationOpened",
        "DecisionConsultationClosed",
        "DecisionTaken",
        "DecisionFeedbackPublished",
    ]
    assert unpack(stored[1], events.DecisionConsultationClosed).comment_count == 2
    assert unpack(stored[2], events.DecisionTaken).hearing_on == "2026-10-21"
    published = unpack(stored[3], events.DecisionFeedbackPublished)
    assert (published.comment_count, published.adopted_count, published.not_adopted_count) == (2, 1, 1)
    for envelope in stored:
        raw = envelope.SerializeToString()
        for personal in COMMENT.values():
            assert personal.encode() not in raw, envelope.type


async def test_refusals_name_the_field(stack) -> None:  # type: ignore[no-untyped-def]
    short = await _staff(stack, "POST", API, {**CONSULTATION, "notice_ends_on": "2026-10-15"}, 400)
    [violation] = short["error"]["field_violations"]  # type: ignore[index]
    assert (violation["field"], "2026-10-16" in violation["description"]) == ("notice_ends_on", True)
    unled = await _staff(stack, "POST", API, {**CONSULTATION, "lead_unit": " "}, 400)
    assert [v["field"] for v in unled["error"]["field_violations"]] == ["lead_unit"]  # type: ignore[index]

    decision_id = (await _opened(stack))["id"]
    hearing = await _act(stack, decision_id, 400, action="schedule_hearing", hearing_on="2026-10-26")
    [violation] = hearing["error"]["field_violations"]
    assert (violation["field"], "2026-10-19 to 2026-10-23" in violation["description"]) == ("hearing_on", True)
    early = await _act(stack, decision_id, 400, action="close", on="2026-09-28")
    assert [v["field"] for v in early["error"]["field_violations"]] == ["on"]
    future = await _act(stack, decision_id, 400, action="record_expert_review", on="2026-09-29")
    assert [v["field"] for v in future["error"]["field_violations"]] == ["on"]
    silent = await stack.http("POST", f"{API}/{decision_id}/comments", json={"text": " "})
    assert silent.status_code == 400 and silent.json()["error"]["field_violations"][0]["field"] == "text"


async def test_refusals_give_the_current_state(stack, clock: Clock) -> None:  # type: ignore[no-untyped-def]
    decision_id = (await _opened(stack))["id"]
    consulting = await _act(stack, decision_id, 409, action="decide")
    assert consulting["error"]["current_state"] == "consulting"
    feedback = await _act(stack, decision_id, 409, action="publish_feedback")
    assert feedback["error"]["current_state"] == "consulting"

    clock.set_day(10, 19)
    await _act(stack, decision_id, action="close")
    await _act(stack, decision_id, action="record_expert_review")
    unassessed = await _act(stack, decision_id, 409, action="decide")
    assert unassessed["error"]["current_state"] == "closed"
    await _act(stack, decision_id, action="record_risk_assessment", risk_passed=False)
    failed = await _act(stack, decision_id, 409, action="decide")
    assert failed["error"]["current_state"] == "closed"
    assert (await stack.http("GET", f"{API}/{decision_id}")).json()["risk_assessment"] == "failed"
    adoption = {"comment_id": "not-a-comment", "summary": "某意见", "adoption": "adopted"}
    unknown = await _act(stack, decision_id, 400, action="publish_feedback", feedback_explanation="说明",
                         adoptions=[adoption])  # fmt: skip
    assert [v["field"] for v in unknown["error"]["field_violations"]] == ["adoptions[0].comment_id"]


async def test_a_consultation_not_yet_open_is_not_public(stack) -> None:  # type: ignore[no-untyped-def]
    later = await _opened(stack, opens_on="2026-10-08", notice_ends_on="2026-10-22")
    assert (await stack.http("GET", f"{API}/{later['id']}")).status_code == 404
    assert (await stack.http("GET", API)).json() == []
    comment = await stack.http("POST", f"{API}/{later['id']}/comments", json=COMMENT)
    assert comment.status_code == 404
