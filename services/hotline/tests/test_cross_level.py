"""Cross-level dispatch in the domain: what is handed down, how the child accepts it, how the origin follows."""

from __future__ import annotations

from datetime import timedelta

import pytest
from hotline.domain.cross_level import Progress, follow, received
from hotline.domain.dispatch import Assignment
from hotline.domain.loop import Act, Params, apply
from hotline.domain.vocabulary import Channel, TicketState
from hotline.domain.workflow import Action, Actor
from hotline.entrypoints.level_consumers import progress_of
from sunshine.events.v1 import hotline_pb2 as ev
from sunshine_kit.envelope import event_for
from sunshine_kit.identity import Level, StackIdentity
from sunshine_kit.timestamps import from_timestamp

from .builders import CALLER, CHILD, LIMITS, T0, ticket_in

LATER = T0 + timedelta(hours=3)
CHILD_STACK = StackIdentity(Level.COUNTY, CHILD.child_division, "示例区", parent_division=CHILD.origin_division)


def handed_down_work(**changes: object):  # type: ignore[no-untyped-def]
    ticket = ticket_in(TicketState.HANDED_DOWN, **changes)
    [(child, work)] = ticket.handed_down
    assert child == CHILD.child_division
    return ticket, work


def test_dispatching_to_a_child_stack_hands_the_ticket_down_with_what_the_unit_needs() -> None:
    ticket, work = handed_down_work()
    assert ticket.state is TicketState.HANDED_DOWN and ticket.lead_unit == "stack-510104"
    assert [type(e) for e in ticket.events] == [ev.TicketAccepted, ev.TicketDispatched]
    assert ticket.events[-1].lead_unit_kind == "child_stack"
    assert (work.origin_division, work.origin_ticket_id, work.origin_ticket_number) == (
        CHILD.origin_division,
        ticket.id,
        ticket.number,
    )
    assert (work.category, work.topic, work.urgency, work.place_division) == (
        "COMPLAINT",
        "环境卫生",
        "NORMAL",
        "510104",
    )
    assert (work.address, work.description) == (ticket.address, ticket.description)
    assert from_timestamp(work.due_at) == ticket.due_at
    assert (work.caller.name, work.caller.phone) == (CALLER.name, CALLER.phone)
    assert CALLER.id_number.encode() not in work.SerializeToString()


def test_a_confidential_callers_contact_stays_at_the_origin() -> None:
    _, work = handed_down_work(confidential=True)
    assert work.confidential and not work.HasField("caller")
    payload = work.SerializeToString()
    assert not [value for value in (CALLER.name, CALLER.phone, CALLER.id_number) if value.encode() in payload]


def test_the_child_accepts_the_work_into_its_own_loop_due_when_the_origin_promised() -> None:
    origin, work = handed_down_work()
    ticket = received(work, LATER, "2026030200000777")
    assert (ticket.state, ticket.channel, ticket.due_at) == (TicketState.ACCEPTED, Channel.PARENT, origin.due_at)
    assert (ticket.origin.division, ticket.origin.ticket_id) == (CHILD.origin_division, origin.id)  # type: ignore[union-attr]
    assert (ticket.caller.name, ticket.caller.phone, ticket.caller.id_number) == (CALLER.name, CALLER.phone, "")
    assert ticket.history[0].actor is Actor.SYSTEM and ticket.history[0].actor_id == "stack-510100"
    apply(ticket, Action.DISPATCH, Act(Actor.OPERATOR, "op", LATER), Params(assignment=Assignment("jd001")), LIMITS)
    apply(ticket, Action.SIGN, Act(Actor.UNIT, "jd001:li", LATER), Params(), LIMITS)
    accepted, dispatched, signed = ticket.events
    for event in (accepted, dispatched, signed):
        assert (event.origin_division, event.origin_ticket_id) == (CHILD.origin_division, origin.id)
        payload = event.SerializeToString()
        assert not [text for text in (ticket.address, ticket.description, CALLER.name) if text.encode() in payload]


def test_a_ticket_taken_locally_names_no_origin_in_its_events() -> None:
    ticket = ticket_in(TicketState.SIGNED)
    assert all(not e.origin_ticket_id for e in ticket.events if "origin_ticket_id" in e.DESCRIPTOR.fields_by_name)


def progress(ticket_id: str, state: TicketState, minutes: int, unit: str = "jd001") -> Progress:
    at = LATER + timedelta(minutes=minutes)
    return Progress(CHILD.origin_division, ticket_id, CHILD.child_division, state, unit, at)


def test_the_origin_records_each_step_below_and_closes_when_the_child_closes() -> None:
    ticket, _ = handed_down_work()
    ticket.events.clear()
    for minutes, state in enumerate([TicketState.ACCEPTED, TicketState.SIGNED, TicketState.ANSWERED], start=1):
        assert follow(ticket, progress(ticket.id, state, minutes))
        assert (ticket.state, ticket.below_state) == (TicketState.HANDED_DOWN, state)
    assert not ticket.events, "the child's own events count its work; the origin repeats none of them"
    assert follow(ticket, progress(ticket.id, TicketState.CLOSED, 9))
    assert (ticket.state, ticket.closed_at) == (TicketState.CLOSED, LATER + timedelta(minutes=9))
    [closed] = ticket.events
    assert isinstance(closed, ev.TicketClosed) and closed.on_time and closed.unit == "stack-510104"
    below = [(h.action, h.actor_id, h.to_state) for h in ticket.history[2:]]
    assert below == [
        ("below_accepted", "stack-510104:jd001", TicketState.HANDED_DOWN),
        ("below_signed", "stack-510104:jd001", TicketState.HANDED_DOWN),
        ("below_answered", "stack-510104:jd001", TicketState.HANDED_DOWN),
        ("below_closed", "stack-510104:jd001", TicketState.CLOSED),
    ]
    assert not follow(ticket, progress(ticket.id, TicketState.HANDLING, 10)), "a late step changes nothing"


@pytest.mark.parametrize(
    ("event", "state"),
    [
        (ev.TicketSigned(unit="jd001"), TicketState.SIGNED),
        (ev.TicketDispatched(lead_unit="jd001"), TicketState.DISPATCHED),
        (ev.TicketReviewed(unit="jd001", approved=False), TicketState.HANDLING),
        (ev.TicketReviewed(unit="jd001", approved=True), None),
        (ev.TicketUrged(unit="jd001"), None),
    ],
    ids=["signed", "dispatched", "review-rejected", "review-approved", "not-followed"],
)
def test_the_origin_reads_the_step_from_the_childs_event(event, state: TicketState | None) -> None:  # type: ignore[no-untyped-def]
    if "origin_ticket_id" in event.DESCRIPTOR.fields_by_name:
        event.origin_division, event.origin_ticket_id = CHILD.origin_division, "t-1"
    found = progress_of(event_for(CHILD_STACK, "hotline", event).envelope)
    if state is None:
        assert found is None
        return
    assert found is not None
    assert (found.origin_ticket_id, found.division, found.state, found.unit) == (
        "t-1",
        CHILD.child_division,
        state,
        "jd001",
    )


def test_a_childs_event_about_its_own_ticket_is_not_progress() -> None:
    assert progress_of(event_for(CHILD_STACK, "hotline", ev.TicketSigned(unit="jd001")).envelope) is None
