"""Tickets in any state of the closed loop, built by walking the loop with legal actions."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hotline.domain.caller import Caller
from hotline.domain.cross_level import Downward
from hotline.domain.dispatch import Assignment
from hotline.domain.loop import Act, Params, apply
from hotline.domain.ticket import Intake, Ticket
from hotline.domain.time_limits import TimeLimits
from hotline.domain.vocabulary import Category, Channel, Satisfaction, TicketState, Urgency
from hotline.domain.workflow import Action, Actor
from sunshine_kit.timestamps import CHINA_TIME
from sunshine_kit.working_days import WorkingDayCalendar

LIMITS = TimeLimits(WorkingDayCalendar())
# Monday 2026-03-02, 09:00 China time: an ordinary working week.
T0 = datetime(2026, 3, 2, 9, 0, tzinfo=CHINA_TIME).astimezone(UTC)
CALLER = Caller("张三", "13800001234", "510104199001011234")
UNIT = "cgj"

PATHS: dict[TicketState, list[tuple[Action, Actor, Params]]] = {
    TicketState.ACCEPTED: [],
    TicketState.DISPATCHED: [(Action.DISPATCH, Actor.OPERATOR, Params(assignment=Assignment(UNIT)))],
}
CHILD = Downward(origin_division="510100", child_division="510104")
TO_CHILD = Params(assignment=Assignment("stack-510104"), lead_unit_kind="child_stack", downward=CHILD)
PATHS[TicketState.HANDED_DOWN] = [(Action.DISPATCH, Actor.OPERATOR, TO_CHILD)]
PATHS[TicketState.RETURNED] = [*PATHS[TicketState.DISPATCHED], (Action.RETURN, Actor.UNIT, Params())]
PATHS[TicketState.SIGNED] = [*PATHS[TicketState.DISPATCHED], (Action.SIGN, Actor.UNIT, Params())]
PATHS[TicketState.HANDLING] = [*PATHS[TicketState.SIGNED], (Action.START, Actor.UNIT, Params())]
PATHS[TicketState.ANSWERED] = [*PATHS[TicketState.HANDLING], (Action.ANSWER, Actor.UNIT, Params(answer="已清运"))]
PATHS[TicketState.CLOSED] = [*PATHS[TicketState.ANSWERED], (Action.REVIEW, Actor.OPERATOR, Params(approved=True))]
PATHS[TicketState.CALLED_BACK] = [
    *PATHS[TicketState.CLOSED],
    (Action.CALLBACK, Actor.OPERATOR, Params(satisfaction=Satisfaction.UNSATISFIED)),
]
PATHS[TicketState.EVALUATED] = [
    *PATHS[TicketState.CALLED_BACK],
    (Action.EVALUATE, Actor.OPERATOR, Params(satisfaction=Satisfaction.BASICALLY_SATISFIED)),
]
PATHS[TicketState.MERGED] = [(Action.MERGE, Actor.OPERATOR, Params(primary_ticket_id="primary"))]


def intake(**changes: object) -> Intake:
    fields: dict[str, object] = {
        "category": Category.COMPLAINT,
        "topic": "环境卫生",
        "channel": Channel.PHONE,
        "place_division": "510104",
        "address": "锦江区春熙路 18 号",
        "description": "小区门口垃圾堆放三天无人清运，气味很大",
        "urgency": Urgency.NORMAL,
        "caller": CALLER,
    }
    return Intake(**{**fields, **changes})  # type: ignore[arg-type]


def ticket_in(state: TicketState, at: datetime = T0, **changes: object) -> Ticket:
    """A ticket walked to `state`, one minute per step; events and history of the walk kept."""
    ticket = Ticket.accept(intake(**changes), at, LIMITS, number="2026030200000001")
    for step, (action, actor, params) in enumerate(PATHS[state], start=1):
        apply(ticket, action, Act(actor, f"{actor}-1", at + timedelta(minutes=step), "理由"), params, LIMITS)
    assert ticket.state is state
    return ticket
