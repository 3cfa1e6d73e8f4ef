"""The closed loop's transitions on a ticket: `apply(ticket, action, act, params, limits)`.

`workflow.check` refuses an actor that may never take the action (PermissionDenied) and a state the action
cannot start from (IllegalTransition, carrying the current state). A few actions also need a condition of the
ticket (a pending extension request, an unsatisfied callback, not yet escalated); when it does not hold they
are refused with IllegalTransition as well. Every transition is recorded in the history with actor and time
and emits one upward-safe event.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sunshine.events.v1 import hotline_pb2 as ev
from sunshine_kit.errors import IllegalTransition, ValidationFailed
from sunshine_kit.timestamps import to_timestamp

from hotline.domain.cross_level import Downward, hand_down, press_below, reopen_below, reply_closed
from hotline.domain.dispatch import Assignment
from hotline.domain.ticket import Ticket
from hotline.domain.time_limits import Due, TimeLimits
from hotline.domain.vocabulary import Satisfaction
from hotline.domain.vocabulary import TicketState as S
from hotline.domain.workflow import Action, Actor, check

MAX_ANSWER = 4000


@dataclass(frozen=True)
class Act:
    actor: Actor
    actor_id: str
    at: datetime
    note: str = ""


@dataclass(frozen=True)
class Params:
    assignment: Assignment | None = None
    lead_unit_kind: str = ""
    followed_suggestion: bool = False
    answer: str = ""
    approved: bool = False
    reached: bool = True
    resolved: bool = False
    satisfaction: Satisfaction | None = None
    until: datetime | None = None
    until_provisional: bool = False  # reopen_from_above: the origin's new due time is provisional there
    primary_ticket_id: str = ""
    # Set when the lead unit is a child stack (kind child_stack): the ticket is handed down to it, and
    # 催办/督办/重办 follow it there.
    downward: Downward | None = None


def apply(ticket: Ticket, action: Action, act: Act, params: Params, limits: TimeLimits) -> None:
    check(action, ticket.state, act.actor)
    _HANDLERS[action](ticket, act, params, limits)


def _refuse_unless(condition: bool, action: Action, ticket: Ticket) -> None:
    if not condition:
        raise IllegalTransition(action.value, ticket.state.value)


def _required(value: object, field: str, description: str) -> None:
    if not value:
        raise ValidationFailed.field(field, description)


def _send_to_unit(ticket: Ticket, act: Act, action: Action, params: Params, limits: TimeLimits) -> None:
    assignment = params.assignment or Assignment(ticket.lead_unit, ticket.assisting_units)
    _required(assignment.lead, "lead_unit", "choose the lead unit (主办单位)")
    ticket.lead_unit, ticket.assisting_units = assignment.lead, assignment.assisting
    ticket.dispatched_at = act.at
    ticket.set_sign_due(limits.sign_due_at(ticket.urgency, act.at))
    to = S.DISPATCHED if params.downward is None else S.HANDED_DOWN
    ticket.record(action, act.actor, act.actor_id, act.at, to, act.note)
    ticket.emit(
        ev.TicketDispatched,
        act.at,
        lead_unit=assignment.lead,
        assisting_units=list(assignment.assisting),
        lead_unit_kind=params.lead_unit_kind,
        sign_due_at=to_timestamp(ticket.sign_due_at),
        sign_due_at_provisional=ticket.sign_due_at_provisional,
        followed_suggestion=params.followed_suggestion,
        action=action.value,
    )
    if params.downward is None:
        return
    if action in (Action.REOPEN, Action.REOPEN_FROM_ABOVE):
        reopen_below(ticket, params.downward, act.actor_id, act.note)
    else:
        hand_down(ticket, params.downward, act.at)


def _dispatch(ticket: Ticket, act: Act, params: Params, limits: TimeLimits) -> None:
    _required(params.assignment, "lead_unit", "choose the lead unit (主办单位)")
    _send_to_unit(ticket, act, Action.DISPATCH, params, limits)


def _reassign(ticket: Ticket, act: Act, params: Params, limits: TimeLimits) -> None:
    _required(params.assignment, "lead_unit", "choose the new lead unit (主办单位)")
    _send_to_unit(ticket, act, Action.REASSIGN, params, limits)


def _reject_return(ticket: Ticket, act: Act, params: Params, limits: TimeLimits) -> None:
    _send_to_unit(ticket, act, Action.REJECT_RETURN, Params(lead_unit_kind=params.lead_unit_kind), limits)


def _answer_text(params: Params) -> str:
    _required(params.answer.strip(), "answer", "write the answer (答复内容)")
    if len(params.answer) > MAX_ANSWER:
        raise ValidationFailed.field("answer", f"at most {MAX_ANSWER} characters")
    return params.answer.strip()


def _answer_directly(ticket: Ticket, act: Act, params: Params, _limits: TimeLimits) -> None:
    ticket.answer = _answer_text(params)
    ticket.close(Action.ANSWER_DIRECTLY, act.actor, act.actor_id, act.at, act.note, direct=True)
    reply_closed(ticket, act.at, act.note)


def _merge(ticket: Ticket, act: Act, params: Params, _limits: TimeLimits) -> None:
    _required(params.primary_ticket_id, "primary_ticket_id", "name the ticket to merge into")
    if params.primary_ticket_id == ticket.id:
        raise ValidationFailed.field("primary_ticket_id", "a ticket cannot be merged into itself")
    ticket.merged_into = params.primary_ticket_id
    ticket.record(Action.MERGE, act.actor, act.actor_id, act.at, S.MERGED, act.note)
    ticket.emit(ev.TicketMerged, act.at, primary_ticket_id=params.primary_ticket_id)


def _sign(ticket: Ticket, act: Act, _params: Params, _limits: TimeLimits) -> None:
    on_time = ticket.sign_due_at is None or act.at <= ticket.sign_due_at
    ticket.record(Action.SIGN, act.actor, act.actor_id, act.at, S.SIGNED, act.note)
    ticket.emit(ev.TicketSigned, act.at, unit=ticket.lead_unit, on_time=on_time)


def _return(ticket: Ticket, act: Act, _params: Params, _limits: TimeLimits) -> None:
    _required(act.note.strip(), "note", "say why the matter is not this unit's (退单理由)")
    ticket.record(Action.RETURN, act.actor, act.actor_id, act.at, S.RETURNED, act.note)
    ticket.emit(ev.TicketReturned, act.at, unit=ticket.lead_unit)


def _start(ticket: Ticket, act: Act, _params: Params, _limits: TimeLimits) -> None:
    ticket.record(Action.START, act.actor, act.actor_id, act.at, S.HANDLING, act.note)
    ticket.emit(ev.TicketHandlingStarted, act.at, unit=ticket.lead_unit)


def _answer(ticket: Ticket, act: Act, params: Params, _limits: TimeLimits) -> None:
    ticket.answer = _answer_text(params)
    ticket.record(Action.ANSWER, act.actor, act.actor_id, act.at, S.ANSWERED, act.note)
    ticket.emit(ev.TicketAnswered, act.at, unit=ticket.lead_unit)


def _review(ticket: Ticket, act: Act, params: Params, _limits: TimeLimits) -> None:
    ticket.emit(ev.TicketReviewed, act.at, unit=ticket.lead_unit, approved=params.approved)
    if params.approved:
        ticket.close(Action.REVIEW, act.actor, act.actor_id, act.at, act.note)
        reply_closed(ticket, act.at, act.note)
    else:
        _required(act.note.strip(), "note", "say what the answer lacks (审核意见)")
        ticket.record(Action.REVIEW, act.actor, act.actor_id, act.at, S.HANDLING, act.note)


def _callback(ticket: Ticket, act: Act, params: Params, _limits: TimeLimits) -> None:
    if params.reached:
        _required(params.satisfaction, "satisfaction", "record 满意, 基本满意 or 不满意")
    ticket.satisfaction = params.satisfaction if params.reached else None
    ticket.resolved = params.resolved if params.reached else None
    ticket.record(
        Action.CALLBACK, act.actor, act.actor_id, act.at, S.CALLED_BACK if params.reached else S.CLOSED, act.note
    )
    satisfaction = params.satisfaction.name if params.reached and params.satisfaction else ""
    ticket.emit(
        ev.TicketCalledBack,
        act.at,
        unit=ticket.lead_unit,
        reached=params.reached,
        resolved=bool(ticket.resolved),
        satisfaction=satisfaction,
    )


def _evaluate(ticket: Ticket, act: Act, params: Params, _limits: TimeLimits) -> None:
    _required(params.satisfaction, "satisfaction", "choose 满意, 基本满意 or 不满意")
    assert params.satisfaction is not None
    ticket.satisfaction = params.satisfaction
    ticket.record(Action.EVALUATE, act.actor, act.actor_id, act.at, S.EVALUATED, act.note)
    ticket.emit(
        ev.TicketEvaluated,
        act.at,
        unit=ticket.lead_unit,
        satisfaction=params.satisfaction.name,
        by_citizen=act.actor is Actor.CITIZEN,
    )


def _reopen(ticket: Ticket, act: Act, params: Params, limits: TimeLimits) -> None:
    _refuse_unless(ticket.satisfaction is Satisfaction.UNSATISFIED, Action.REOPEN, ticket)
    _restart_clock(ticket, act, limits.due_at(ticket.category, ticket.urgency, act.at))
    # Handled by a child stack: back to 下派, and the child reopens its own ticket.
    again = Params(lead_unit_kind=params.lead_unit_kind, downward=params.downward)
    _send_to_unit(ticket, act, Action.REOPEN, again, limits)


def _reopen_from_above(ticket: Ticket, act: Act, params: Params, limits: TimeLimits) -> None:
    """重办 asked by the origin of a handed-down ticket, due when the origin now promises (`until`)."""
    _refuse_unless(ticket.origin is not None, Action.REOPEN_FROM_ABOVE, ticket)
    _required(params.until, "until", "the origin's new due time")
    assert params.until is not None
    _restart_clock(ticket, act, Due(params.until, params.until_provisional))
    if ticket.lead_unit:
        again = Params(lead_unit_kind=params.lead_unit_kind, downward=params.downward)
        _send_to_unit(ticket, act, Action.REOPEN_FROM_ABOVE, again, limits)
    else:  # answered directly (直接答复) here: back to this stack's operator
        ticket.record(Action.REOPEN_FROM_ABOVE, act.actor, act.actor_id, act.at, S.ACCEPTED, act.note)


def _restart_clock(ticket: Ticket, act: Act, due: Due) -> None:
    ticket.reopen_count += 1
    ticket.clock_started_at, ticket.clock_notices, ticket.closed_at = act.at, frozenset(), None
    ticket.set_due(due)
    ticket.emit(
        ev.TicketReopened,
        act.at,
        unit=ticket.lead_unit,
        reopen_count=ticket.reopen_count,
        due_at=to_timestamp(ticket.due_at),
        due_at_provisional=ticket.due_at_provisional,
    )


def _request_extension(ticket: Ticket, act: Act, params: Params, _limits: TimeLimits) -> None:
    _refuse_unless(ticket.requested_due_at is None, Action.REQUEST_EXTENSION, ticket)
    if params.until is None or params.until <= ticket.due_at:
        raise ValidationFailed.field("until", "the new due time must be after the current one")
    _required(act.note.strip(), "note", "say why more time is needed (延期理由)")
    ticket.requested_due_at = params.until
    ticket.record(Action.REQUEST_EXTENSION, act.actor, act.actor_id, act.at, ticket.state, act.note)
    ticket.emit(ev.TicketExtensionRequested, act.at, unit=ticket.lead_unit, requested_due_at=to_timestamp(params.until))


def _decide_extension(ticket: Ticket, act: Act, params: Params, _limits: TimeLimits) -> None:
    _refuse_unless(ticket.requested_due_at is not None, Action.DECIDE_EXTENSION, ticket)
    assert ticket.requested_due_at is not None
    if params.approved:  # a time a person chose: never provisional, never counted again
        ticket.set_due(Due(ticket.requested_due_at))
        ticket.clock_notices = frozenset()
    ticket.requested_due_at = None
    ticket.record(Action.DECIDE_EXTENSION, act.actor, act.actor_id, act.at, ticket.state, act.note)
    ticket.emit(
        ev.TicketExtensionDecided,
        act.at,
        unit=ticket.lead_unit,
        approved=params.approved,
        due_at=to_timestamp(ticket.due_at),
    )


def _urge(ticket: Ticket, act: Act, params: Params, _limits: TimeLimits) -> None:
    ticket.urge_count += 1
    ticket.record(Action.URGE, act.actor, act.actor_id, act.at, ticket.state, act.note)
    automatic = act.actor is Actor.SYSTEM
    ticket.emit(ev.TicketUrged, act.at, unit=ticket.lead_unit, automatic=automatic, urge_count=ticket.urge_count)
    _press_below(ticket, Action.URGE, act, params)


def _supervise(ticket: Ticket, act: Act, params: Params, _limits: TimeLimits) -> None:
    ticket.record(Action.SUPERVISE, act.actor, act.actor_id, act.at, ticket.state, act.note)
    ticket.emit(ev.TicketSupervised, act.at, unit=ticket.lead_unit)
    _press_below(ticket, Action.SUPERVISE, act, params)


def _press_below(ticket: Ticket, action: Action, act: Act, params: Params) -> None:
    """Handed down (下派): 催办 and 督办 are meant for the child stack that has the work."""
    if ticket.state is S.HANDED_DOWN and params.downward is not None:
        press_below(ticket, params.downward, action, act.actor, act.actor_id, act.note)


def _escalate(ticket: Ticket, act: Act, _params: Params, _limits: TimeLimits) -> None:
    _refuse_unless(not ticket.escalated, Action.ESCALATE, ticket)
    ticket.escalated = True
    ticket.record(Action.ESCALATE, act.actor, act.actor_id, act.at, ticket.state, act.note)
    ticket.emit(ev.TicketEscalated, act.at, unit=ticket.lead_unit)


_HANDLERS: dict[Action, Callable[[Ticket, Act, Params, TimeLimits], None]] = {
    Action.DISPATCH: _dispatch,
    Action.ANSWER_DIRECTLY: _answer_directly,
    Action.MERGE: _merge,
    Action.SIGN: _sign,
    Action.RETURN: _return,
    Action.REASSIGN: _reassign,
    Action.REJECT_RETURN: _reject_return,
    Action.START: _start,
    Action.ANSWER: _answer,
    Action.REVIEW: _review,
    Action.CALLBACK: _callback,
    Action.EVALUATE: _evaluate,
    Action.REOPEN: _reopen,
    Action.REOPEN_FROM_ABOVE: _reopen_from_above,
    Action.REQUEST_EXTENSION: _request_extension,
    Action.DECIDE_EXTENSION: _decide_extension,
    Action.URGE: _urge,
    Action.SUPERVISE: _supervise,
    Action.ESCALATE: _escalate,
}
