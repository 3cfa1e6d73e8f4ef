"""At the child stack: the origin's actions on a ticket it handed down (domain/cross_level.py).

催办/督办 and 重办 come down the same channel as the work, but not necessarily after it: the inbox naks a failed
message and goes on, and replicas share the consumer. An action that overtakes its work is retried by the inbox
until the work has arrived (service/cross_level.py). They are applied to the child's own ticket under the
child's workflow rules, by the origin's role: an operator's 催办, a leader's 督办, the service's 重办 on the origin's
word (`reopen_from_above`, which needs no callback here). The history names who acted at the origin
(`stack-<origin>:<staff>`). When the ticket's state here does not allow the action, it is not taken and the
origin is told so, with the state, through the reply channel.

The origin's due time counted again when the calendar changes (`due_recomputed`) is taken under the child's own
rules: only by an open ticket still due when the origin had promised — an extension approved here is a time a
person chose and stands, a closed ticket's due time is history — with the same history entry, event and
withdrawal of due-soon/overdue notices as a due time counted here (domain/clock.py), and passed on down when
this stack handed the ticket further down.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from sunshine.dispatch.v1 import hotline_pb2 as down
from sunshine_kit.errors import IllegalTransition
from sunshine_kit.timestamps import from_timestamp

from hotline.domain.clock import due_moved, due_times
from hotline.domain.cross_level import Downward, child_unit, refuse
from hotline.domain.loop import Act, Params, apply
from hotline.domain.ticket import Ticket
from hotline.domain.time_limits import Due, TimeLimits
from hotline.domain.vocabulary import OPEN_STATES
from hotline.domain.workflow import Action, Actor


def pressed(ticket: Ticket, work: down.HandedDownTicketUrged, at: datetime, params: Params, limits: TimeLimits) -> None:
    """催办 or 督办 from the origin, recorded on this ticket as the origin's operator or leader took it."""
    act = Act(Actor(work.actor), _origin_staff(ticket, work.actor_id), at, work.note)
    _apply_or_refuse(ticket, Action(work.action), act, params, limits)


def reopened(
    ticket: Ticket, work: down.HandedDownTicketReopened, at: datetime, params: Params, limits: TimeLimits
) -> None:
    """重办 from the origin: the ticket goes back to its unit, due when the origin now promises."""
    act = Act(Actor.SYSTEM, _origin_staff(ticket, work.actor_id), at, work.note)
    until = replace(params, until=from_timestamp(work.due_at), until_provisional=work.due_at_provisional)
    _apply_or_refuse(ticket, Action.REOPEN_FROM_ABOVE, act, until, limits)


def due_recomputed(
    ticket: Ticket, work: down.HandedDownTicketDueRecomputed, at: datetime, downward: Downward | None
) -> bool:
    """The origin's new due time for this ticket's work; whether this ticket took it."""
    if ticket.state not in OPEN_STATES or ticket.due_at != from_timestamp(work.old_due_at):
        return False
    before = due_times(ticket)
    ticket.set_due(Due(from_timestamp(work.due_at), work.due_at_provisional))
    if due_times(ticket) == before:
        return False
    assert ticket.origin is not None
    due_moved(ticket, at, before, child_unit(ticket.origin.division), downward)
    return True


def _apply_or_refuse(ticket: Ticket, action: Action, act: Act, params: Params, limits: TimeLimits) -> None:
    try:
        apply(ticket, action, act, params, limits)
    except IllegalTransition:
        refuse(ticket, action)


def _origin_staff(ticket: Ticket, actor_id: str) -> str:
    assert ticket.origin is not None
    return f"{child_unit(ticket.origin.division)}:{actor_id}"
