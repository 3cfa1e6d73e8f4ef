"""Routing with the disclosure service (政务公开), both ways.

- **Hand-over**: a call that is really a disclosure request (依申请公开) becomes one, submitted by the operator
  with the caller's consent; the ticket is closed (办结) with the request's number, not as a direct answer: the
  disclosure office answers on its own statutory clock (Art. 33).
- **Redirected**: a disclosure request closed as a complaint (Art. 39, outcome 5.1) arrives as a ticket (投诉,
  channel `disclosure`). Its event carries no personal data, so the ticket holds a reference to the request;
  the applicant's contact follows from the disclosure service as the ticket's caller (`record_applicant`), and
  the text is read there (GetRequest).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sunshine.events.v1.disclosure_pb2 import DisclosureRequestRedirected
from sunshine_kit.errors import FieldViolation, IllegalTransition, ValidationFailed

from hotline.domain.caller import Caller
from hotline.domain.cross_level import reply_closed
from hotline.domain.ticket import HistoryEntry, Ticket
from hotline.domain.time_limits import TimeLimits
from hotline.domain.vocabulary import Category, Channel, TicketState, Urgency
from hotline.domain.workflow import Actor

HAND_OVER = "hand_over_to_disclosure"
CONSENT = "来电人同意将本次来电转为政府信息公开申请，并同意向政务公开工作机构提供其姓名和联系方式"
NATURAL_PERSON = "natural_person"
DISCLOSURE_SERVICE = "disclosure"
RECORD_APPLICANT = "record_applicant"
APPLICANT_UNAVAILABLE = "record_applicant_unavailable"
HAND_OVER_KEY_PREFIX = "hotline-hand-over:"


@dataclass(frozen=True)
class Application:
    """What goes to the disclosure service as the request (申请): the caller as applicant, and what is sought."""

    applicant_type: str
    name: str
    phone: str
    id_number: str
    address: str
    information_sought: str
    # The submission's idempotency key, one per ticket: a hand-over retried after any failure (a lost reply, a
    # crash, the ticket's transaction failing after the submission) finds the request already submitted.
    idempotency_key: str = ""


@dataclass(frozen=True)
class Consent:
    """What the operator records with the caller for the hand-over."""

    caller_consents: bool
    # Table 三's applicant column; empty: a natural person.
    applicant_type: str = ""
    # Empty: the ticket's description.
    information_sought: str = ""
    applicant_address: str = ""


def application(ticket: Ticket, consent: Consent) -> Application:
    """The request to submit for this call; refused unless the ticket was just accepted and the caller agreed."""
    if ticket.state is not TicketState.ACCEPTED:
        raise IllegalTransition(HAND_OVER, ticket.state.value)
    address = consent.applicant_address.strip()
    checks = [
        (not consent.caller_consents, "caller_consents", "the caller must agree to the hand-over (来电人同意) first"),
        (not ticket.caller.name, "caller.name", "the applicant's name is needed: record the caller's name"),
        (not (ticket.caller.phone or address), "caller.phone", "give the caller's phone or an address"),
    ]
    violations = [FieldViolation(name, text) for failed, name, text in checks if failed]
    if violations:
        raise ValidationFailed(*violations)
    caller, kind = ticket.caller, consent.applicant_type.strip() or NATURAL_PERSON
    sought = consent.information_sought.strip() or ticket.description
    key = hand_over_key(ticket.id)
    return Application(kind, caller.name, caller.phone, caller.id_number, address, sought, key)


def hand_over_key(ticket_id: str) -> str:
    """The idempotency key of a ticket's hand-over: derived from the ticket alone, so every retry repeats it."""
    return f"{HAND_OVER_KEY_PREFIX}{ticket_id}"


def hand_over(ticket: Ticket, request_number: str, actor_id: str, at: datetime) -> None:
    """The request was submitted: the ticket keeps its number and is closed, the consent in its history. A
    ticket handed down from a parent stack replies its answer (the request's number) to the origin, as any
    closing does (domain/cross_level.py)."""
    if ticket.state is not TicketState.ACCEPTED:
        raise IllegalTransition(HAND_OVER, ticket.state.value)
    ticket.disclosure_request_number = request_number
    ticket.answer = f"已转为政府信息公开申请（申请编号 {request_number}），由政务公开工作机构依法答复"
    note = f"{CONSENT}；申请编号 {request_number}"
    ticket.close(HAND_OVER, Actor.OPERATOR, actor_id, at, note, handed_to_disclosure=True)
    reply_closed(ticket, at, note)


def redirected(
    event: DisclosureRequestRedirected, at: datetime, number: str, time_limits: TimeLimits, topic: str
) -> Ticket:
    """The complaint a disclosure request turned out to be, accepted (受理) as a ticket of this stack."""
    description = (
        f"政府信息公开申请（申请编号 {event.number}）经政务公开工作机构认定为投诉，于 {event.redirected_on} 转来"
        "（《政府信息公开条例》第三十九条）。诉求内容请在政务公开系统查看该申请；申请人联系方式由系统转入本工单。"
    )
    due = time_limits.due_at(Category.COMPLAINT, Urgency.NORMAL, at)
    ticket = Ticket(
        id=str(uuid.uuid4()),
        number=number,
        category=Category.COMPLAINT,
        topic=topic,
        channel=Channel.DISCLOSURE,
        urgency=Urgency.NORMAL,
        place_division=event.division,
        address="",
        description=description,
        confidential=False,
        caller=Caller(),
        state=TicketState.ACCEPTED,
        accepted_at=at,
        due_at=due.at,
        due_at_provisional=due.provisional,
        due_working_days=due.working_days,
        clock_started_at=at,
        updated_at=at,
        disclosure_request_id=event.request_id,
        disclosure_request_number=event.number,
    )
    accepted = TicketState.ACCEPTED
    ticket.history.append(HistoryEntry("accept", accepted, accepted, Actor.SYSTEM, DISCLOSURE_SERVICE, at))
    ticket.events.append(ticket.accepted_event())
    return ticket


def awaits_applicant(ticket: Ticket) -> bool:
    """A redirected request's ticket whose applicant has not come from the disclosure service yet, and can still
    come (`applicant_unavailable` was not recorded)."""
    return (
        bool(ticket.disclosure_request_id)
        and ticket.caller.is_anonymous
        and not any(entry.action == APPLICANT_UNAVAILABLE for entry in ticket.history)
    )


def applicant_unavailable(ticket: Ticket, reason: str, at: datetime) -> bool:
    """The disclosure service will not give this ticket's applicant (no such request, refused for this one, or
    no contact on it): the ticket stops waiting for it, so it is not asked for again, and the history says why.
    The operator reads the applicant at the disclosure service. No transition, no event."""
    if not awaits_applicant(ticket):
        return False
    ticket.updated_at = at
    note = f"未能从政府信息公开申请（申请编号 {ticket.disclosure_request_number}）转入申请人联系方式：{reason}"
    ticket.history.append(
        HistoryEntry(APPLICANT_UNAVAILABLE, ticket.state, ticket.state, Actor.SYSTEM, DISCLOSURE_SERVICE, at, note)
    )
    return True


def record_applicant(ticket: Ticket, applicant: Caller, at: datetime) -> bool:
    """The applicant's contact as the disclosure request holds it becomes the ticket's caller, once: no
    transition, no event (the contact stays in this stack); the history says it came and from where."""
    applicant = applicant.cleaned()
    if not awaits_applicant(ticket) or applicant.is_anonymous:
        return False
    ticket.caller = applicant
    ticket.updated_at = at
    note = f"申请人联系方式已从政府信息公开申请（申请编号 {ticket.disclosure_request_number}）转入"
    ticket.history.append(
        HistoryEntry(RECORD_APPLICANT, ticket.state, ticket.state, Actor.SYSTEM, DISCLOSURE_SERVICE, at, note)
    )
    return True
