"""Major decisions (重大行政决策): the 10-working-day notice, the hearing window and the risk/expert gate.

Dates checked against the installed chinesecalendar 1.11.0 data: 春节 2026 02-15..02-23 off with Saturdays
02-14 and 02-28 worked; 国庆 2026 10-01..10-07 off with Saturday 10-10 worked.
"""

from __future__ import annotations

from datetime import date

import pytest
from disclosure.domain.comment_adoption import AdoptionDraft
from disclosure.domain.major_decision import Consultation, DecisionState, MajorDecision
from sunshine.events.v1 import disclosure_pb2 as events
from sunshine_kit.errors import IllegalTransition, ValidationFailed
from sunshine_kit.working_days import WorkingDayCalendar

CALENDAR = WorkingDayCalendar()
# Opening 02-11: 02-12, 02-13, 02-14 (调休), 02-24..02-28 (02-28 调休), 03-02, 03-03 → the 10th working day is 03-03.
SPRING_OPENS, SPRING_EARLIEST_END = date(2026, 2, 11), date(2026, 3, 3)
# Opening 09-28: 09-29, 09-30, 10-08, 10-09, 10-10 (调休), 10-12..10-16 → 10-16.
AUTUMN_OPENS, AUTUMN_EARLIEST_END = date(2026, 9, 28), date(2026, 10, 16)


def consultation(opens_on: date = AUTUMN_OPENS, notice_ends_on: date = AUTUMN_EARLIEST_END) -> Consultation:
    return Consultation(
        title="锦江区老旧小区加装电梯补助办法（征求意见稿）",
        draft_text="第一条 为推进既有住宅加装电梯……",
        lead_unit="锦江区住房和城乡建设局",
        responsible_units=("锦江区财政局", "各街道办事处"),
        opens_on=opens_on,
        notice_ends_on=notice_ends_on,
    )


def opened(**changes: date) -> MajorDecision:
    decision = MajorDecision.open(consultation(**changes), AUTUMN_OPENS, CALENDAR)
    decision.events.clear()
    return decision


def closed() -> MajorDecision:
    decision = opened()
    decision.comment(date(2026, 10, 9))
    decision.close(date(2026, 10, 19))
    return decision


# --- the notice --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("opens", "earliest"), [(SPRING_OPENS, SPRING_EARLIEST_END), (AUTUMN_OPENS, AUTUMN_EARLIEST_END)]
)
def test_ten_working_days_of_notice_across_the_2026_holidays(opens: date, earliest: date) -> None:
    decision = MajorDecision.open(consultation(opens, earliest), opens, CALENDAR)
    (event,) = decision.events
    assert isinstance(event, events.DecisionConsultationOpened)
    assert (event.notice_ends_on, event.notice_working_days) == (earliest.isoformat(), 10)
    assert (event.lead_unit, list(event.responsible_units)) == (
        "锦江区住房和城乡建设局",
        ["锦江区财政局", "各街道办事处"],
    )


@pytest.mark.parametrize(
    ("opens", "short", "earliest"),
    [(SPRING_OPENS, date(2026, 3, 2), SPRING_EARLIEST_END), (AUTUMN_OPENS, date(2026, 10, 15), AUTUMN_EARLIEST_END)],
)
def test_a_shorter_notice_is_refused_naming_the_field_and_the_earliest_end(
    opens: date, short: date, earliest: date
) -> None:
    with pytest.raises(ValidationFailed) as raised:
        MajorDecision.open(consultation(opens, short), opens, CALENDAR)
    (violation,) = raised.value.violations
    assert violation.field == "notice_ends_on"
    assert earliest.isoformat() in violation.description


def test_the_lead_unit_is_required() -> None:
    bare = Consultation("草案", "正文", " ", (), AUTUMN_OPENS, AUTUMN_EARLIEST_END)
    with pytest.raises(ValidationFailed) as raised:
        MajorDecision.open(bare, AUTUMN_OPENS, CALENDAR)
    assert [v.field for v in raised.value.violations] == ["lead_unit"]


# --- comments and closing ----------------------------------------------------------------------------------------


def test_comments_count_only_while_the_notice_runs() -> None:
    decision = opened()
    decision.comment(AUTUMN_EARLIEST_END)
    assert decision.comment_count == 1
    with pytest.raises(IllegalTransition):
        decision.comment(date(2026, 10, 17))


def test_closing_waits_for_the_end_of_the_notice() -> None:
    decision = opened()
    with pytest.raises(ValidationFailed) as raised:
        decision.close(AUTUMN_EARLIEST_END)
    assert [v.field for v in raised.value.violations] == ["on"]
    decision.close(date(2026, 10, 17))
    (event,) = decision.events
    assert isinstance(event, events.DecisionConsultationClosed)
    assert decision.state == DecisionState.CLOSED


# --- the hearing window ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("hearing_on", [date(2026, 10, 19), date(2026, 10, 23)])
def test_a_hearing_within_five_working_days_after_the_notice(hearing_on: date) -> None:
    decision = opened()
    decision.schedule_hearing(hearing_on, CALENDAR)
    assert decision.hearing_on == hearing_on


@pytest.mark.parametrize(
    "hearing_on",
    [date(2026, 10, 16), date(2026, 10, 18), date(2026, 10, 26)],
    ids=["last notice day", "a Sunday", "sixth working day"],
)
def test_a_hearing_outside_the_window_is_refused(hearing_on: date) -> None:
    with pytest.raises(ValidationFailed) as raised:
        opened().schedule_hearing(hearing_on, CALENDAR)
    (violation,) = raised.value.violations
    assert violation.field == "hearing_on"
    assert "2026-10-19 to 2026-10-23" in violation.description


# --- the risk and expert gate ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("risk", "expert"),
    [(None, True), (False, True), (True, False)],
    ids=["no assessment", "failed assessment", "no expert review"],
)
def test_no_decision_without_a_passed_assessment_and_an_expert_review(risk: bool | None, expert: bool) -> None:
    decision = closed()
    if risk is not None:
        decision.record_risk_assessment(risk)
    if expert:
        decision.record_expert_review(date(2026, 10, 20))
    with pytest.raises(IllegalTransition) as raised:
        decision.decide(date(2026, 10, 21))
    assert raised.value.current_state == "closed"


def test_a_decision_goes_forward_with_both_on_record() -> None:
    decision = closed()
    decision.record_risk_assessment(True)
    decision.record_expert_review(date(2026, 10, 20))
    decision.events.clear()
    decision.decide(date(2026, 10, 21))
    assert decision.state == DecisionState.DECIDED
    (event,) = decision.events
    assert isinstance(event, events.DecisionTaken)
    assert (event.decided_on, event.expert_reviewed_on, event.hearing_on) == ("2026-10-21", "2026-10-20", "")


def test_no_decision_while_the_consultation_runs() -> None:
    decision = opened()
    decision.record_risk_assessment(True)
    decision.record_expert_review(date(2026, 10, 9))
    with pytest.raises(IllegalTransition) as raised:
        decision.decide(date(2026, 10, 9))
    assert raised.value.current_state == "consulting"


# --- 意见采纳情况 -------------------------------------------------------------------------------------------------


def test_the_adoption_of_comments_is_published_once_after_the_consultation() -> None:
    with pytest.raises(IllegalTransition) as raised:
        opened().publish_feedback("说明", [], [], date(2026, 10, 9))
    assert raised.value.current_state == "consulting"
    decision = closed()
    decision.events.clear()
    adopted = AdoptionDraft("c1", "建议按楼层分档补助", "adopted")
    decision.publish_feedback("共收到意见1条，已采纳。", [adopted], ["c1"], date(2026, 10, 22))
    (event,) = decision.events
    assert isinstance(event, events.DecisionFeedbackPublished)
    assert (event.comment_count, event.adopted_count, event.partly_adopted_count, event.not_adopted_count) == (
        1,
        1,
        0,
        0,
    )
    assert decision.feedback is not None and decision.feedback.adoptions[0].number == 1
    with pytest.raises(IllegalTransition):
        decision.publish_feedback("说明", [adopted], ["c1"], date(2026, 10, 23))


def test_every_comment_needs_its_adoption() -> None:
    with pytest.raises(ValidationFailed) as raised:
        closed().publish_feedback("说明", [], ["c1"], date(2026, 10, 22))
    assert [v.field for v in raised.value.violations] == ["adoptions"]
