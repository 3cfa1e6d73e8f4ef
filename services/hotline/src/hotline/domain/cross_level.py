"""Cross-level dispatch (下派): a ticket handed down to a child stack, received there, followed from the origin.

The origin (a county or city hotline) dispatches a ticket to a child stack: the ticket goes to 下派
(HANDED_DOWN) and a `TicketHandedDown` is queued for that child only. The child accepts it into its own closed
loop (受理, channel `parent`, due when the origin promised), and its ordinary transitions emit upward events that
carry the origin's division and ticket id. The origin reads them from its ROLLUP and records each step of the
child's progress; when the child closes the ticket (办结), the origin's ticket is closed too, and the origin's
own callback (回访) and evaluation (评价) follow as for any ticket.

The origin's 催办/督办 while the ticket is below, its 重办 after an unsatisfied callback, and its due time counted
again when the calendar changes go down the same way and are applied to the child's ticket
(domain/from_above.py). The child's answer goes back to the origin only, through the reply channel
(`HandedDownTicketClosed`), so the origin's operator knows what was answered when calling back; an action the
child's ticket cannot take comes back as a refusal.

What goes down is what the child's handling unit needs (address, description); caller contact only when the
caller did not ask for confidentiality (保密), and then only name and phone. What comes up through the roll-up is
ids, states, unit codes and times; the answer's text comes back as a reply, which goes no further than the origin.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sunshine.dispatch.v1 import hotline_pb2 as down
from sunshine_kit.timestamps import from_timestamp, to_timestamp

from hotline.domain.caller import Caller
from hotline.domain.plain_text import free_text, one_line
from hotline.domain.ticket import HistoryEntry, Origin, Ticket
from hotline.domain.vocabulary import Category, Channel, TicketState, Urgency
from hotline.domain.workflow import Action, Actor


def child_unit(division: str) -> str:
    """The dispatch catalogue's code of a child stack (adapters/catalogue_file.py)."""
    return f"stack-{division}"


@dataclass(frozen=True)
class Downward:
    """A dispatch from this stack (the origin) to one of its child stacks."""

    origin_division: str
    child_division: str


def hand_down(ticket: Ticket, route: Downward, at: datetime) -> None:
    """Queue the work for the child stack, next to the ticket's events."""
    contact = None if ticket.confidential else down.CallerContact(name=ticket.caller.name, phone=ticket.caller.phone)
    work = down.TicketHandedDown(
        origin_division=route.origin_division,
        origin_ticket_id=ticket.id,
        origin_ticket_number=ticket.number,
        category=ticket.category.name,
        topic=ticket.topic,
        urgency=ticket.urgency.name,
        place_division=ticket.place_division,
        address=ticket.address,
        description=ticket.description,
        due_at=to_timestamp(ticket.due_at),
        due_at_provisional=ticket.due_at_provisional,
        handed_down_at=to_timestamp(at),
        confidential=ticket.confidential,
        caller=contact,
    )
    ticket.handed_down.append((route.child_division, work))


def press_below(ticket: Ticket, route: Downward, action: Action, actor: Actor, actor_id: str, note: str) -> None:
    """催办 or 督办 of a ticket handed down, passed on to the child, which records it on its own ticket."""
    work = down.HandedDownTicketUrged(
        origin_division=route.origin_division,
        origin_ticket_id=ticket.id,
        action=action.value,
        actor=actor.value,
        actor_id=actor_id,
        note=note,
    )
    ticket.handed_down.append((route.child_division, work))


def reopen_below(ticket: Ticket, route: Downward, actor_id: str, note: str) -> None:
    """重办 of a ticket the child handled: the child reopens its own ticket, due when this stack now promises.
    The child's earlier state no longer describes the work."""
    ticket.below_state = None
    work = down.HandedDownTicketReopened(
        origin_division=route.origin_division,
        origin_ticket_id=ticket.id,
        actor_id=actor_id,
        note=note,
        due_at=to_timestamp(ticket.due_at),
        due_at_provisional=ticket.due_at_provisional,
    )
    ticket.handed_down.append((route.child_division, work))


def recount_below(ticket: Ticket, route: Downward, old_due: datetime, at: datetime) -> None:
    """This stack counted the due time of a ticket it handed down again (domain/clock.py): the child's ticket,
    due when this stack had promised, takes the new one (domain/from_above.py)."""
    work = down.HandedDownTicketDueRecomputed(
        origin_division=route.origin_division,
        origin_ticket_id=ticket.id,
        old_due_at=to_timestamp(old_due),
        due_at=to_timestamp(ticket.due_at),
        due_at_provisional=ticket.due_at_provisional,
        at=to_timestamp(at),
    )
    ticket.handed_down.append((route.child_division, work))


def received(work: down.TicketHandedDown, at: datetime, number: str) -> Ticket:
    """The child's own ticket for the work: accepted (受理) into its closed loop, due when the origin promised."""
    origin = Origin(work.origin_division, work.origin_ticket_id, work.origin_ticket_number)
    ticket = Ticket(
        id=str(uuid.uuid4()),
        number=number,
        category=Category[work.category],
        topic=work.topic,
        channel=Channel.PARENT,
        urgency=Urgency[work.urgency],
        place_division=work.place_division,
        address=one_line(work.address).strip(),
        description=free_text(work.description).strip(),
        confidential=work.confidential,
        caller=Caller(work.caller.name, work.caller.phone).cleaned(),
        state=TicketState.ACCEPTED,
        accepted_at=at,
        due_at=from_timestamp(work.due_at),
        due_at_provisional=work.due_at_provisional,
        clock_started_at=at,
        updated_at=at,
        origin=origin,
    )
    accepted = TicketState.ACCEPTED
    ticket.history.append(HistoryEntry("accept", accepted, accepted, Actor.SYSTEM, child_unit(origin.division), at))
    ticket.events.append(ticket.accepted_event())
    return ticket


@dataclass(frozen=True)
class Progress:
    """One step of a handed-down ticket at the child stack, as its upward event reports it."""

    origin_division: str
    origin_ticket_id: str
    division: str  # the child stack that reported it
    state: TicketState  # the child's ticket's state after the step
    unit: str  # the child's unit that took the step, when there is one
    at: datetime


def follow(ticket: Ticket, progress: Progress) -> bool:
    """Record the child's step on the origin's ticket; its closing (办结) closes the origin's ticket too.
    Steps reported after the origin's ticket left 下派 change nothing. Returns whether anything changed."""
    if ticket.state is not TicketState.HANDED_DOWN:
        return False
    ticket.below_state = progress.state
    action, reporter = f"below_{progress.state.name.lower()}", _reporter(progress.division, progress.unit)
    if progress.state is TicketState.CLOSED:
        ticket.close(action, Actor.SYSTEM, reporter, progress.at)
    else:
        ticket.record(action, Actor.SYSTEM, reporter, progress.at, TicketState.HANDED_DOWN)
    return True


def _reporter(child: str, unit: str) -> str:
    return f"{child_unit(child)}:{unit}" if unit else child_unit(child)


def reply_closed(ticket: Ticket, at: datetime, note: str) -> None:
    """A handed-down ticket was closed here: its answer goes back to the origin (not up the roll-up)."""
    if ticket.origin is None:
        return
    ticket.replies.append(
        down.HandedDownTicketClosed(
            origin_division=ticket.origin.division,
            origin_ticket_id=ticket.origin.ticket_id,
            ticket_number=ticket.number,
            unit=ticket.lead_unit,
            answer=ticket.answer,
            direct_answer=ticket.direct_answer,
            note=note,
            closed_at=to_timestamp(at),
        )
    )


def refuse(ticket: Ticket, action: Action) -> None:
    """The origin's action cannot be taken on this ticket in its state: the origin is told so."""
    assert ticket.origin is not None
    refusal = down.HandedDownActionRefused(
        origin_division=ticket.origin.division,
        origin_ticket_id=ticket.origin.ticket_id,
        action=action.value,
        state=ticket.state.name,
    )
    ticket.replies.append(refusal)


def answered_below(ticket: Ticket, reply: down.HandedDownTicketClosed, child: str) -> bool:
    """The child's answer on the origin's ticket, shown with it for the callback (回访); passed on to this
    stack's own origin when the ticket came from above. False when the ticket is not the child's to answer."""
    if ticket.lead_unit != child_unit(child):
        return False
    ticket.answer = reply.answer
    at, reporter = from_timestamp(reply.closed_at), _reporter(child, reply.unit)
    ticket.record("below_replied", Actor.SYSTEM, reporter, at, ticket.state, reply.note)
    if ticket.origin is not None:  # from above: the answer goes on to where the citizen called
        passed_on = down.HandedDownTicketClosed()
        passed_on.CopyFrom(reply)
        passed_on.origin_division, passed_on.origin_ticket_id = ticket.origin.division, ticket.origin.ticket_id
        passed_on.ticket_number, passed_on.unit = ticket.number, reporter
        ticket.replies.append(passed_on)
    return True


def refused_below(ticket: Ticket, refusal: down.HandedDownActionRefused, child: str, at: datetime) -> bool:
    """Record that the child could not take an action this stack sent down, and in which state its ticket was."""
    if ticket.lead_unit != child_unit(child):
        return False
    # A state this stack does not know (a newer child) is shown as the child named it, not retried forever.
    state = TicketState[refusal.state].value if refusal.state in TicketState.__members__ else refusal.state
    note = f"cannot {refusal.action} in state {state}"
    ticket.record("below_refused", Actor.SYSTEM, child_unit(child), at, ticket.state, note)
    return True
