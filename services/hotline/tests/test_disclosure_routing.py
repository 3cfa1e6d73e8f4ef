"""Routing with disclosure: a call handed over as a disclosure request; a redirected request accepted as a ticket."""

from __future__ import annotations

from datetime import timedelta

import pytest
from hotline.domain.caller import Caller
from hotline.domain.disclosure_routing import (
    HAND_OVER,
    Consent,
    application,
    awaits_applicant,
    hand_over,
    record_applicant,
    redirected,
)
from hotline.domain.vocabulary import Category, Channel, TicketState
from hotline.domain.workflow import Actor
from sunshine.events.v1 import hotline_pb2 as ev
from sunshine.events.v1.disclosure_pb2 import DisclosureRequestRedirected
from sunshine_kit.errors import IllegalTransition, ValidationFailed

from .builders import CALLER, LIMITS, T0, ticket_in

LATER = T0 + timedelta(minutes=5)


def test_the_caller_becomes_the_applicant_and_the_description_what_is_sought() -> None:
    ticket = ticket_in(TicketState.ACCEPTED)
    request = application(ticket, Consent(True))
    assert (request.applicant_type, request.name, request.phone, request.id_number) == (
        "natural_person",
        CALLER.name,
        CALLER.phone,
        CALLER.id_number,
    )
    assert request.information_sought == ticket.description
    chosen = application(ticket, Consent(True, "commercial_enterprise", " 清运合同 ", " 某路8号 "))
    assert (chosen.applicant_type, chosen.information_sought, chosen.address) == (
        "commercial_enterprise",
        "清运合同",
        "某路8号",
    )


def test_every_attempt_of_a_tickets_hand_over_carries_the_same_key_and_another_ticket_another() -> None:
    ticket, other = ticket_in(TicketState.ACCEPTED), ticket_in(TicketState.ACCEPTED)
    first, retried = application(ticket, Consent(True)), application(ticket, Consent(True, information_sought="x"))
    assert first.idempotency_key == retried.idempotency_key == f"hotline-hand-over:{ticket.id}"
    assert application(other, Consent(True)).idempotency_key == f"hotline-hand-over:{other.id}" != first.idempotency_key


def test_no_hand_over_without_consent_a_name_and_a_way_to_answer() -> None:
    ticket = ticket_in(TicketState.ACCEPTED, caller=Caller())
    with pytest.raises(ValidationFailed) as refused:
        application(ticket, Consent(False))
    assert [v.field for v in refused.value.violations] == ["caller_consents", "caller.name", "caller.phone"]
    by_post = ticket_in(TicketState.ACCEPTED, caller=Caller("张三"))
    assert application(by_post, Consent(True, applicant_address="某路8号")).address == "某路8号"


@pytest.mark.parametrize("state", [TicketState.DISPATCHED, TicketState.CLOSED, TicketState.MERGED])
def test_only_a_ticket_just_accepted_is_handed_over(state: TicketState) -> None:
    ticket = ticket_in(state)
    for attempt in (lambda: application(ticket, Consent(True)), lambda: hand_over(ticket, "Y1", "op-1", LATER)):
        with pytest.raises(IllegalTransition) as refused:
            attempt()
        assert (refused.value.action, refused.value.current_state) == (HAND_OVER, state.value)


def test_a_handed_over_call_is_closed_with_the_request_number_and_the_consent_on_record() -> None:
    ticket = ticket_in(TicketState.ACCEPTED)
    hand_over(ticket, "YSQ2026112800001", "op-1", LATER)
    assert (ticket.state, ticket.disclosure_request_number, ticket.direct_answer) == (
        TicketState.CLOSED,
        "YSQ2026112800001",
        False,
    )
    entry = ticket.history[-1]
    assert (entry.action, entry.actor, entry.actor_id, entry.at) == (HAND_OVER, Actor.OPERATOR, "op-1", LATER)
    assert "来电人同意" in entry.note and "YSQ2026112800001" in entry.note
    assert "YSQ2026112800001" in ticket.answer
    closed = ticket.events[-1]
    assert isinstance(closed, ev.TicketClosed)
    assert (closed.handed_to_disclosure, closed.direct_answer) == (True, False)


def test_a_redirected_request_is_a_complaint_naming_the_request_and_holding_no_personal_data() -> None:
    event = DisclosureRequestRedirected(
        request_id="r-1", number="YSQ2026112600001", redirected_on="2026-11-27", division="510104"
    )
    ticket = redirected(event, T0, "2026030200000009", LIMITS, "其他")
    assert (ticket.category, ticket.channel, ticket.state, ticket.topic) == (
        Category.COMPLAINT,
        Channel.DISCLOSURE,
        TicketState.ACCEPTED,
        "其他",
    )
    assert (ticket.disclosure_request_id, ticket.disclosure_request_number) == ("r-1", "YSQ2026112600001")
    assert ticket.place_division == "510104" and ticket.caller == Caller()
    assert "YSQ2026112600001" in ticket.description
    assert ticket.due_at == LIMITS.due_at(Category.COMPLAINT, ticket.urgency, T0).at
    assert (ticket.history[0].actor, ticket.history[0].actor_id) == (Actor.SYSTEM, "disclosure")
    [accepted] = ticket.events
    assert isinstance(accepted, ev.TicketAccepted) and accepted.channel == "disclosure"


def test_the_applicant_of_a_redirected_request_becomes_its_caller_once_without_an_event() -> None:
    event = DisclosureRequestRedirected(
        request_id="r-1", number="YSQ2026112600001", redirected_on="2026-11-27", division="510104"
    )
    ticket = redirected(event, T0, "2026030200000009", LIMITS, "其他")
    ticket.events.clear()
    assert awaits_applicant(ticket)
    assert not record_applicant(ticket, Caller(), T0)  # nothing came: it still waits
    applicant = Caller("王小红", "13987654321", "510104199001011234")
    assert record_applicant(ticket, applicant, T0)
    assert ticket.caller == applicant and not awaits_applicant(ticket)
    [_, recorded] = ticket.history
    assert (recorded.action, recorded.actor, recorded.actor_id) == ("record_applicant", Actor.SYSTEM, "disclosure")
    assert recorded.from_state is recorded.to_state is TicketState.ACCEPTED
    assert "YSQ2026112600001" in recorded.note and "王" not in recorded.note and "139" not in recorded.note
    assert not ticket.events
    assert not record_applicant(ticket, Caller("李四", "13800000000"), T0)  # once
    assert ticket.caller == applicant and len(ticket.history) == 2


def test_a_ticket_not_made_from_a_redirected_request_never_awaits_an_applicant() -> None:
    ticket = redirected(
        DisclosureRequestRedirected(request_id="r-1", number="N", redirected_on="2026-11-27", division="510104"),
        T0,
        "2026030200000009",
        LIMITS,
        "其他",
    )
    ticket.disclosure_request_id = ""
    assert not awaits_applicant(ticket)
    assert not record_applicant(ticket, Caller("王小红", "13987654321"), T0)
