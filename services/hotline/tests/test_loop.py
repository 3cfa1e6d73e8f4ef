"""The closed loop's details: conditions of single actions, timeliness flags, history and events."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from hotline.domain.dispatch import Assignment
from hotline.domain.loop import Act, Params, apply
from hotline.domain.vocabulary import Satisfaction
from hotline.domain.vocabulary import TicketState as S
from hotline.domain.workflow import Action, Actor
from sunshine.events.v1 import hotline_pb2 as ev
from sunshine_kit.errors import IllegalTransition, ValidationFailed
from sunshine_kit.timestamps import CHINA_TIME, from_timestamp

from .builders import LIMITS, T0, UNIT, ticket_in


def act(actor: Actor, at: datetime, note: str = "理由") -> Act:
    return Act(actor, f"{actor}-x", at, note)


def test_signing_within_a_working_day_is_on_time_and_later_is_not() -> None:
    on_time, late = ticket_in(S.DISPATCHED), ticket_in(S.DISPATCHED)
    # Dispatched Monday 09:01; the signing limit ends Tuesday 03-03 23:59:59 China time.
    apply(on_time, Action.SIGN, act(Actor.UNIT, datetime(2026, 3, 3, 23, 0, tzinfo=CHINA_TIME)), Params(), LIMITS)
    apply(late, Action.SIGN, act(Actor.UNIT, datetime(2026, 3, 4, 0, 1, tzinfo=CHINA_TIME)), Params(), LIMITS)
    assert [t.events[-1].on_time for t in (on_time, late)] == [True, False]


def test_review_rejected_sends_the_ticket_back_to_handling_with_the_reason() -> None:
    ticket = ticket_in(S.ANSWERED)
    apply(ticket, Action.REVIEW, act(Actor.OPERATOR, T0 + timedelta(hours=3), "未说明清运时间"), Params(), LIMITS)
    assert ticket.state is S.HANDLING
    assert ticket.history[-1].note == "未说明清运时间"
    assert isinstance(ticket.events[-1], ev.TicketReviewed) and not ticket.events[-1].approved


def test_review_rejected_needs_a_reason() -> None:
    with pytest.raises(ValidationFailed, match="note"):
        apply(ticket_in(S.ANSWERED), Action.REVIEW, act(Actor.OPERATOR, T0, ""), Params(), LIMITS)


def test_closing_records_whether_it_was_on_time() -> None:
    ticket = ticket_in(S.CLOSED)
    closed = [e for e in ticket.events if isinstance(e, ev.TicketClosed)][0]
    assert closed.on_time and not closed.direct_answer and closed.unit == UNIT
    late = ticket_in(S.ANSWERED)
    apply(late, Action.REVIEW, act(Actor.OPERATOR, late.due_at + timedelta(seconds=1)), Params(approved=True), LIMITS)
    assert not late.events[-1].on_time


def test_a_direct_answer_closes_at_once_and_says_so() -> None:
    ticket = ticket_in(S.ACCEPTED)
    apply(ticket, Action.ANSWER_DIRECTLY, act(Actor.OPERATOR, T0), Params(answer="社保转移可在网上办理"), LIMITS)
    assert ticket.state is S.CLOSED and ticket.direct_answer
    assert ticket.events[-1].direct_answer


def test_reopen_needs_an_unsatisfied_callback() -> None:
    ticket = ticket_in(S.CLOSED)
    apply(ticket, Action.CALLBACK, act(Actor.OPERATOR, T0), Params(satisfaction=Satisfaction.SATISFIED), LIMITS)
    with pytest.raises(IllegalTransition) as refused:
        apply(ticket, Action.REOPEN, act(Actor.OPERATOR, T0), Params(), LIMITS)
    assert refused.value.current_state == "回访"


def test_reopen_goes_back_to_the_same_unit_on_a_new_clock() -> None:
    ticket = ticket_in(S.CALLED_BACK)
    reopened_at = T0 + timedelta(days=2)
    apply(ticket, Action.REOPEN, act(Actor.OPERATOR, reopened_at), Params(), LIMITS)
    assert (ticket.state, ticket.lead_unit, ticket.reopen_count) == (S.DISPATCHED, UNIT, 1)
    assert ticket.clock_started_at == reopened_at
    assert ticket.due_at == LIMITS.due_at(ticket.category, ticket.urgency, reopened_at).at
    assert [type(e).__name__ for e in ticket.events[-2:]] == ["TicketReopened", "TicketDispatched"]
    assert ticket.events[-1].action == "reopen"


def test_a_callback_that_does_not_reach_the_caller_keeps_the_ticket_closed() -> None:
    ticket = ticket_in(S.CLOSED)
    apply(ticket, Action.CALLBACK, act(Actor.OPERATOR, T0), Params(reached=False), LIMITS)
    assert ticket.state is S.CLOSED
    assert not ticket.events[-1].reached and ticket.events[-1].satisfaction == ""


def test_a_reached_callback_needs_the_satisfaction() -> None:
    with pytest.raises(ValidationFailed, match="satisfaction"):
        apply(ticket_in(S.CLOSED), Action.CALLBACK, act(Actor.OPERATOR, T0), Params(), LIMITS)


def test_an_approved_extension_moves_the_due_time_and_a_refused_one_does_not() -> None:
    for approved in (True, False):
        ticket = ticket_in(S.HANDLING)
        due, until = ticket.due_at, ticket.due_at + timedelta(days=7)
        apply(ticket, Action.REQUEST_EXTENSION, act(Actor.UNIT, T0), Params(until=until), LIMITS)
        apply(ticket, Action.DECIDE_EXTENSION, act(Actor.LEADER, T0), Params(approved=approved), LIMITS)
        assert ticket.due_at == (until if approved else due)
        assert ticket.requested_due_at is None
        assert from_timestamp(ticket.events[-1].due_at) == ticket.due_at


def test_one_extension_request_at_a_time_and_none_to_decide_without_a_request() -> None:
    ticket = ticket_in(S.HANDLING)
    until = ticket.due_at + timedelta(days=3)
    with pytest.raises(IllegalTransition):
        apply(ticket, Action.DECIDE_EXTENSION, act(Actor.OPERATOR, T0), Params(approved=True), LIMITS)
    apply(ticket, Action.REQUEST_EXTENSION, act(Actor.UNIT, T0), Params(until=until), LIMITS)
    with pytest.raises(IllegalTransition):
        apply(ticket, Action.REQUEST_EXTENSION, act(Actor.UNIT, T0), Params(until=until), LIMITS)


def test_an_extension_must_ask_for_more_time() -> None:
    ticket = ticket_in(S.HANDLING)
    with pytest.raises(ValidationFailed, match="until"):
        apply(ticket, Action.REQUEST_EXTENSION, act(Actor.UNIT, T0), Params(until=ticket.due_at), LIMITS)


def test_escalation_happens_once() -> None:
    ticket = ticket_in(S.HANDLING)
    apply(ticket, Action.ESCALATE, act(Actor.LEADER, T0), Params(), LIMITS)
    with pytest.raises(IllegalTransition):
        apply(ticket, Action.ESCALATE, act(Actor.OPERATOR, T0), Params(), LIMITS)
    assert ticket.escalated


def test_urging_counts_and_marks_automatic_urges() -> None:
    ticket = ticket_in(S.SIGNED)
    apply(ticket, Action.URGE, act(Actor.OPERATOR, T0), Params(), LIMITS)
    apply(ticket, Action.URGE, act(Actor.SYSTEM, T0), Params(), LIMITS)
    assert ticket.urge_count == 2
    assert [(e.automatic, e.urge_count) for e in ticket.events[-2:]] == [(False, 1), (True, 2)]


def test_a_return_needs_a_reason_and_a_rejected_return_goes_back_to_the_unit() -> None:
    ticket = ticket_in(S.DISPATCHED)
    with pytest.raises(ValidationFailed, match="note"):
        apply(ticket, Action.RETURN, act(Actor.UNIT, T0, " "), Params(), LIMITS)
    apply(ticket, Action.RETURN, act(Actor.UNIT, T0, "不属于本单位职责"), Params(), LIMITS)
    apply(ticket, Action.REJECT_RETURN, act(Actor.OPERATOR, T0, "属于城管职责"), Params(), LIMITS)
    assert (ticket.state, ticket.lead_unit) == (S.DISPATCHED, UNIT)
    assert ticket.events[-1].action == "reject_return"


def test_reassign_changes_the_lead_unit() -> None:
    ticket = ticket_in(S.RETURNED)
    apply(ticket, Action.REASSIGN, act(Actor.OPERATOR, T0), Params(assignment=Assignment("zjj", ("cgj",))), LIMITS)
    assert (ticket.lead_unit, ticket.assisting_units) == ("zjj", ("cgj",))
    assert list(ticket.events[-1].assisting_units) == ["cgj"]


def test_dispatch_without_a_unit_is_refused() -> None:
    with pytest.raises(ValidationFailed, match="lead_unit"):
        apply(ticket_in(S.ACCEPTED), Action.DISPATCH, act(Actor.OPERATOR, T0), Params(), LIMITS)


def test_a_ticket_is_not_merged_into_itself() -> None:
    ticket = ticket_in(S.ACCEPTED)
    with pytest.raises(ValidationFailed, match="itself"):
        apply(ticket, Action.MERGE, act(Actor.OPERATOR, T0), Params(primary_ticket_id=ticket.id), LIMITS)


def test_the_whole_loop_is_recorded_step_by_step() -> None:
    ticket = ticket_in(S.EVALUATED)
    steps = [(h.action, h.from_state, h.to_state) for h in ticket.history]
    assert steps == [
        ("accept", S.ACCEPTED, S.ACCEPTED),
        ("dispatch", S.ACCEPTED, S.DISPATCHED),
        ("sign", S.DISPATCHED, S.SIGNED),
        ("start", S.SIGNED, S.HANDLING),
        ("answer", S.HANDLING, S.ANSWERED),
        ("review", S.ANSWERED, S.CLOSED),
        ("callback", S.CLOSED, S.CALLED_BACK),
        ("evaluate", S.CALLED_BACK, S.EVALUATED),
    ]
    assert all(earlier.at <= later.at for earlier, later in zip(ticket.history, ticket.history[1:], strict=False))
