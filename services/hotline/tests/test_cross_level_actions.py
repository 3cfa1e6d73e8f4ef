"""The origin's actions on a handed-down ticket (催办, 督办, 重办) and the child's replies (its answer, a refusal),
in the domain: what each side records and what it queues for the other."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from hotline.domain import from_above
from hotline.domain.clock import ClockPolicy
from hotline.domain.cross_level import Progress, answered_below, follow, received, refused_below
from hotline.domain.dispatch import Assignment
from hotline.domain.loop import Act, Params, apply
from hotline.domain.ticket import Origin, Ticket
from hotline.domain.vocabulary import Satisfaction, TicketState
from hotline.domain.workflow import Action, Actor
from sunshine.dispatch.v1 import hotline_pb2 as down
from sunshine.events.v1 import hotline_pb2 as ev
from sunshine_kit.errors import PermissionDenied
from sunshine_kit.timestamps import from_timestamp

from .builders import CHILD, LIMITS, T0, TO_CHILD, ticket_in

LATER = T0 + timedelta(hours=3)
ANSWER = "已上门调解，王某同意晚十点后停工"


def at(hours: float) -> Act:
    return Act(Actor.OPERATOR, "op-1", LATER + timedelta(hours=hours), "请尽快办理")


def origin_ticket() -> Ticket:
    """Handed down to the child, with the queue of what goes down emptied."""
    ticket = ticket_in(TicketState.HANDED_DOWN)
    ticket.events.clear()
    ticket.handed_down.clear()
    return ticket


def child_ticket(state: TicketState = TicketState.DISPATCHED) -> Ticket:
    """The child's ticket for the origin's work, walked to `state` by the child's own operator and unit."""
    origin = ticket_in(TicketState.HANDED_DOWN)
    [(_, work)] = origin.handed_down
    ticket = received(work, LATER, "2026030200000777")
    steps = [
        (Action.DISPATCH, Actor.OPERATOR, Params(assignment=Assignment("jd001"))),
        (Action.SIGN, Actor.UNIT, Params()),
        (Action.START, Actor.UNIT, Params()),
        (Action.ANSWER, Actor.UNIT, Params(answer=ANSWER)),
        (Action.REVIEW, Actor.OPERATOR, Params(approved=True)),
    ]
    order = [TicketState.ACCEPTED, TicketState.DISPATCHED, TicketState.SIGNED, TicketState.HANDLING]
    order += [TicketState.ANSWERED, TicketState.CLOSED]
    for action, actor, params in steps[: order.index(state)]:
        apply(ticket, action, Act(actor, f"{actor}-1", LATER, "审核通过"), params, LIMITS)
    ticket.events.clear()
    ticket.replies.clear()
    return ticket


@pytest.mark.parametrize(
    ("action", "actor", "event"),
    [(Action.URGE, Actor.OPERATOR, ev.TicketUrged), (Action.SUPERVISE, Actor.LEADER, ev.TicketSupervised)],
)
def test_urging_a_handed_down_ticket_is_recorded_and_passed_down(action: Action, actor: Actor, event) -> None:  # type: ignore[no-untyped-def]
    ticket = origin_ticket()
    apply(ticket, action, replace(at(1), actor=actor), TO_CHILD, LIMITS)
    assert (ticket.state, ticket.history[-1].action) == (TicketState.HANDED_DOWN, action.value)
    [emitted] = ticket.events
    assert isinstance(emitted, event) and emitted.unit == "stack-510104"
    [(child, work)] = ticket.handed_down
    assert child == CHILD.child_division and isinstance(work, down.HandedDownTicketUrged)
    assert (work.origin_ticket_id, work.action, work.actor, work.actor_id, work.note) == (
        ticket.id,
        action.value,
        actor.value,
        "op-1",
        "请尽快办理",
    )


def test_a_unit_may_not_urge_and_nothing_goes_down() -> None:
    ticket = origin_ticket()
    with pytest.raises(PermissionDenied):
        apply(ticket, Action.URGE, replace(at(1), actor=Actor.UNIT), TO_CHILD, LIMITS)
    assert not ticket.handed_down and not ticket.events


def test_the_clock_sweep_leaves_urging_a_handed_down_ticket_to_the_child() -> None:
    ticket = origin_ticket()
    ClockPolicy().tick(ticket, ticket.due_at - timedelta(minutes=1), LIMITS)
    assert [type(e) for e in ticket.events] == [ev.TicketDueSoon] and not ticket.handed_down


def urged_from_origin(action: Action = Action.URGE, actor: Actor = Actor.OPERATOR) -> down.HandedDownTicketUrged:
    return down.HandedDownTicketUrged(
        origin_division=CHILD.origin_division, action=action.value, actor=actor.value, actor_id="op-9", note="加快"
    )


def test_the_child_records_the_origins_urging_on_its_ticket() -> None:
    ticket = child_ticket(TicketState.SIGNED)
    from_above.pressed(ticket, urged_from_origin(), LATER, Params(), LIMITS)
    entry = ticket.history[-1]
    assert (entry.action, entry.actor, entry.actor_id, entry.note) == (
        "urge",
        Actor.OPERATOR,
        "stack-510100:op-9",
        "加快",
    )
    [urged] = ticket.events
    assert isinstance(urged, ev.TicketUrged) and (urged.unit, urged.automatic) == ("jd001", False)
    assert ticket.urge_count == 1 and not ticket.replies


def test_urging_the_child_before_it_dispatched_is_refused_back_to_the_origin() -> None:
    ticket = child_ticket(TicketState.ACCEPTED)
    history = len(ticket.history)
    from_above.pressed(ticket, urged_from_origin(Action.SUPERVISE, Actor.LEADER), LATER, Params(), LIMITS)
    assert len(ticket.history) == history and not ticket.events
    [refusal] = ticket.replies
    assert isinstance(refusal, down.HandedDownActionRefused)
    assert (refusal.origin_ticket_id, refusal.action, refusal.state) == (
        ticket.origin.ticket_id,
        "supervise",
        "ACCEPTED",
    )  # type: ignore[union-attr]


def test_the_origin_records_the_refusal_with_the_childs_state() -> None:
    ticket = origin_ticket()
    refusal = down.HandedDownActionRefused(origin_ticket_id=ticket.id, action="urge", state="ACCEPTED")
    assert not refused_below(ticket, refusal, "510199", LATER), "only the child that has the ticket answers for it"
    assert refused_below(ticket, refusal, CHILD.child_division, LATER)
    entry = ticket.history[-1]
    assert (entry.action, entry.actor_id, entry.note) == ("below_refused", "stack-510104", "cannot urge in state 受理")
    assert ticket.state is TicketState.HANDED_DOWN and not ticket.events


def test_a_refusal_in_a_state_this_stack_does_not_know_shows_the_childs_name_for_it() -> None:
    ticket = origin_ticket()
    refusal = down.HandedDownActionRefused(origin_ticket_id=ticket.id, action="reopen_from_above", state="ARCHIVED")
    assert refused_below(ticket, refusal, CHILD.child_division, LATER)
    assert ticket.history[-1].note == "cannot reopen_from_above in state ARCHIVED"


def closed_below(ticket: Ticket) -> None:
    follow(ticket, Progress(CHILD.origin_division, ticket.id, CHILD.child_division, TicketState.CLOSED, "", LATER))


def test_reopening_a_ticket_handled_below_hands_it_down_again_with_the_new_due_time() -> None:
    ticket = origin_ticket()
    closed_below(ticket)
    unsatisfied = Params(satisfaction=Satisfaction.UNSATISFIED)
    apply(ticket, Action.CALLBACK, at(1), unsatisfied, LIMITS)
    ticket.events.clear()
    apply(ticket, Action.REOPEN, replace(at(2), note="噪声仍在"), TO_CHILD, LIMITS)
    assert (ticket.state, ticket.reopen_count, ticket.below_state, ticket.closed_at) == (
        TicketState.HANDED_DOWN,
        1,
        None,
        None,
    )
    reopened, dispatched = ticket.events
    assert isinstance(reopened, ev.TicketReopened) and isinstance(dispatched, ev.TicketDispatched)
    assert dispatched.action == "reopen" and dispatched.lead_unit == "stack-510104"
    [(child, work)] = ticket.handed_down
    assert child == CHILD.child_division and isinstance(work, down.HandedDownTicketReopened)
    assert (work.origin_ticket_id, work.actor_id, work.note) == (ticket.id, "op-1", "噪声仍在")
    assert from_timestamp(work.due_at) == ticket.due_at > LATER + timedelta(hours=2)


def reopened_from_origin(due_in_days: int = 5) -> down.HandedDownTicketReopened:
    work = down.HandedDownTicketReopened(origin_division=CHILD.origin_division, actor_id="op-9", note="噪声仍在")
    work.due_at.FromDatetime(LATER + timedelta(days=due_in_days))
    return work


def test_the_child_reopens_its_closed_ticket_to_the_same_unit_due_when_the_origin_says() -> None:
    ticket = child_ticket(TicketState.CLOSED)
    from_above.reopened(ticket, reopened_from_origin(), LATER + timedelta(days=1), Params(), LIMITS)
    assert (ticket.state, ticket.lead_unit, ticket.reopen_count, ticket.closed_at) == (
        TicketState.DISPATCHED,
        "jd001",
        1,
        None,
    )
    assert ticket.due_at == LATER + timedelta(days=5)
    entry = ticket.history[-1]
    assert (entry.action, entry.actor, entry.actor_id) == ("reopen_from_above", Actor.SYSTEM, "stack-510100:op-9")
    reopened, dispatched = ticket.events
    assert isinstance(reopened, ev.TicketReopened) and isinstance(dispatched, ev.TicketDispatched)
    assert dispatched.origin_ticket_id == ticket.origin.ticket_id, "the origin follows the new round"  # type: ignore[union-attr]
    assert not ticket.replies


def test_reopening_a_ticket_the_child_still_works_on_is_refused_back() -> None:
    ticket = child_ticket(TicketState.HANDLING)
    from_above.reopened(ticket, reopened_from_origin(), LATER, Params(), LIMITS)
    assert ticket.state is TicketState.HANDLING and not ticket.events
    [refusal] = ticket.replies
    assert (refusal.action, refusal.state) == ("reopen_from_above", "HANDLING")


def test_a_staff_member_cannot_reopen_from_above() -> None:
    ticket = child_ticket(TicketState.CLOSED)
    with pytest.raises(PermissionDenied):
        apply(ticket, Action.REOPEN_FROM_ABOVE, at(1), Params(until=LATER + timedelta(days=5)), LIMITS)


def test_closing_a_handed_down_ticket_replies_its_answer_to_the_origin() -> None:
    ticket = child_ticket(TicketState.ANSWERED)
    apply(ticket, Action.REVIEW, replace(at(1), note="答复完整"), Params(approved=True), LIMITS)
    [reply] = ticket.replies
    assert isinstance(reply, down.HandedDownTicketClosed)
    assert (reply.origin_division, reply.origin_ticket_id, reply.ticket_number) == (
        CHILD.origin_division,
        ticket.origin.ticket_id,  # type: ignore[union-attr]
        ticket.number,
    )
    assert (reply.unit, reply.answer, reply.note, reply.direct_answer) == ("jd001", ANSWER, "答复完整", False)
    assert from_timestamp(reply.closed_at) == ticket.closed_at
    upward = b"".join(event.SerializeToString() for event in ticket.events)
    assert ANSWER.encode() not in upward, "the answer goes back as a reply, never in an upward event"


def test_a_direct_answer_below_replies_too_and_a_local_ticket_replies_to_no_one() -> None:
    ticket = child_ticket(TicketState.ACCEPTED)
    apply(ticket, Action.ANSWER_DIRECTLY, at(1), Params(answer=ANSWER), LIMITS)
    [reply] = ticket.replies
    assert (reply.answer, reply.direct_answer, reply.unit) == (ANSWER, True, "")
    local = ticket_in(TicketState.CLOSED)
    assert local.origin is None and not local.replies


def answer_from_child(ticket: Ticket) -> down.HandedDownTicketClosed:
    reply = down.HandedDownTicketClosed(
        origin_division=CHILD.origin_division, origin_ticket_id=ticket.id, unit="jd001", answer=ANSWER, note="答复完整"
    )
    reply.closed_at.FromDatetime(LATER)
    return reply


def test_the_origin_shows_the_childs_answer_for_its_callback() -> None:
    ticket = origin_ticket()
    closed_below(ticket)
    assert not answered_below(ticket, answer_from_child(ticket), "510199")
    assert answered_below(ticket, answer_from_child(ticket), CHILD.child_division)
    assert (ticket.answer, ticket.state) == (ANSWER, TicketState.CLOSED)
    entry = ticket.history[-1]
    assert (entry.action, entry.actor_id, entry.at, entry.note) == (
        "below_replied",
        "stack-510104:jd001",
        LATER,
        "答复完整",
    )
    assert not ticket.replies and [type(e) for e in ticket.events] == [ev.TicketClosed]


def test_a_county_passes_the_townships_answer_on_to_the_city() -> None:
    ticket = origin_ticket()
    ticket.origin = Origin("510000", "city-ticket")
    assert answered_below(ticket, answer_from_child(ticket), CHILD.child_division)
    [passed_on] = ticket.replies
    assert (passed_on.origin_division, passed_on.origin_ticket_id, passed_on.ticket_number) == (
        "510000",
        "city-ticket",
        ticket.number,
    )
    assert (passed_on.unit, passed_on.answer) == ("stack-510104:jd001", ANSWER)


def test_a_county_passes_the_citys_urging_and_reopening_on_to_its_township() -> None:
    county = origin_ticket()  # handed down to its township ...
    county.origin = Origin("510000", "city-ticket")  # ... and itself handed down from the city
    from_above.pressed(county, urged_from_origin(), LATER, TO_CHILD, LIMITS)
    [(township, urged)] = county.handed_down
    assert township == CHILD.child_division and isinstance(urged, down.HandedDownTicketUrged)
    assert urged.actor_id == "stack-510000:op-9", "the township sees who acted, and where"

    county.handed_down.clear()
    closed_below(county)
    from_above.reopened(county, reopened_from_origin(), LATER + timedelta(days=1), TO_CHILD, LIMITS)
    assert county.state is TicketState.HANDED_DOWN and county.due_at == LATER + timedelta(days=5)
    [(_, reopened)] = county.handed_down
    assert isinstance(reopened, down.HandedDownTicketReopened) and from_timestamp(reopened.due_at) == county.due_at
