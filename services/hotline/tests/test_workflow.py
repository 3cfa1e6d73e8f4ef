"""The closed loop, exhaustively: every state × every action × every actor is allowed or refused clearly.

The expected table below is written out independently of hotline.domain.workflow.RULES, from docs/hotline.md.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from hotline.domain.dispatch import Assignment
from hotline.domain.loop import Act, Params, apply
from hotline.domain.ticket import Origin
from hotline.domain.vocabulary import Satisfaction
from hotline.domain.vocabulary import TicketState as S
from hotline.domain.workflow import Action, Actor
from sunshine_kit.errors import IllegalTransition, PermissionDenied

from .builders import LIMITS, T0, ticket_in

A, OP, UNIT, LEAD, CIT, SYS = Action, Actor.OPERATOR, Actor.UNIT, Actor.LEADER, Actor.CITIZEN, Actor.SYSTEM
SAME = None  # the action leaves the state as it is

# action: (states it starts from, actors who may take it, state it leads to)
EXPECTED: dict[Action, tuple[set[S], set[Actor], S | None]] = {
    A.DISPATCH: ({S.ACCEPTED}, {OP}, S.DISPATCHED),
    A.ANSWER_DIRECTLY: ({S.ACCEPTED}, {OP}, S.CLOSED),
    A.MERGE: ({S.ACCEPTED, S.RETURNED}, {OP}, S.MERGED),
    A.SIGN: ({S.DISPATCHED}, {UNIT}, S.SIGNED),
    A.RETURN: ({S.DISPATCHED, S.SIGNED}, {UNIT}, S.RETURNED),
    A.REASSIGN: ({S.DISPATCHED, S.RETURNED}, {OP}, S.DISPATCHED),
    A.REJECT_RETURN: ({S.RETURNED}, {OP}, S.DISPATCHED),
    A.START: ({S.SIGNED}, {UNIT}, S.HANDLING),
    A.ANSWER: ({S.HANDLING}, {UNIT}, S.ANSWERED),
    A.REVIEW: ({S.ANSWERED}, {OP}, S.CLOSED),
    A.CALLBACK: ({S.CLOSED}, {OP}, S.CALLED_BACK),
    A.EVALUATE: ({S.CLOSED, S.CALLED_BACK}, {OP, CIT}, S.EVALUATED),
    A.REOPEN: ({S.CALLED_BACK}, {OP}, S.DISPATCHED),
    A.REOPEN_FROM_ABOVE: ({S.CLOSED, S.CALLED_BACK, S.EVALUATED}, {SYS}, S.DISPATCHED),
    A.REQUEST_EXTENSION: ({S.SIGNED, S.HANDLING}, {UNIT}, SAME),
    A.DECIDE_EXTENSION: ({S.SIGNED, S.HANDLING}, {OP, LEAD}, SAME),
    A.URGE: ({S.DISPATCHED, S.HANDED_DOWN, S.SIGNED, S.HANDLING, S.RETURNED}, {OP, SYS}, SAME),
    A.SUPERVISE: ({S.DISPATCHED, S.HANDED_DOWN, S.SIGNED, S.HANDLING}, {LEAD}, SAME),
    A.ESCALATE: ({S.ACCEPTED, S.RETURNED, S.DISPATCHED, S.SIGNED, S.HANDLING}, {OP, LEAD}, SAME),
}

PARAMS = Params(
    assignment=Assignment("jtj", ("jd001",)),
    answer="已协调清运",
    approved=True,
    satisfaction=Satisfaction.SATISFIED,
    primary_ticket_id="primary",
)
CASES = [(state, action, actor) for state in S for action in Action for actor in Actor]


def prepared(state: S, action: Action):  # type: ignore[no-untyped-def]
    """A ticket in `state`, with what the action's own condition needs (a pending extension to decide, an origin
    stack that asks for 重办)."""
    ticket = ticket_in(state)
    if action is A.REOPEN_FROM_ABOVE:
        ticket.origin = Origin("510100", "origin-ticket")
    if action is A.DECIDE_EXTENSION and state in (S.SIGNED, S.HANDLING):
        until = ticket.due_at + timedelta(days=5)
        asked = Act(UNIT, "u", T0 + timedelta(hours=1), "需要协调")
        apply(ticket, A.REQUEST_EXTENSION, asked, Params(until=until), LIMITS)
    ticket.events.clear()
    return ticket


def params_for(ticket, action: Action) -> Params:  # type: ignore[no-untyped-def]
    if action in (A.REQUEST_EXTENSION, A.REOPEN_FROM_ABOVE):
        return Params(until=ticket.due_at + timedelta(days=3))
    return PARAMS


@pytest.mark.parametrize(("state", "action", "actor"), CASES, ids=lambda v: str(v.name) if hasattr(v, "name") else v)
def test_every_state_action_and_actor(state: S, action: Action, actor: Actor) -> None:
    sources, actors, target = EXPECTED[action]
    ticket = prepared(state, action)
    history_before, at = len(ticket.history), T0 + timedelta(hours=2)
    act = Act(actor, "someone", at, "理由")
    if actor not in actors:
        with pytest.raises(PermissionDenied, match=f"{actor} may not {action}"):
            apply(ticket, action, act, params_for(ticket, action), LIMITS)
    elif state not in sources:
        with pytest.raises(IllegalTransition) as refused:
            apply(ticket, action, act, params_for(ticket, action), LIMITS)
        assert (refused.value.action, refused.value.current_state) == (action.value, state.value)
        assert str(refused.value) == f"cannot {action.value} in state {state.value}"
    else:
        apply(ticket, action, act, params_for(ticket, action), LIMITS)
        assert ticket.state is (target or state)
        entry = ticket.history[history_before]
        assert (entry.action, entry.actor, entry.actor_id, entry.at, entry.from_state) == (
            action.value,
            actor,
            "someone",
            at,
            state,
        )
        assert ticket.events, "every transition emits an event"
        return
    assert ticket.state is state and len(ticket.history) == history_before and not ticket.events


def test_the_table_covers_every_action() -> None:
    assert set(EXPECTED) == set(Action)
