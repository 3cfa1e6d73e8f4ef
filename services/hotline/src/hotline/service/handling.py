"""The closed loop's use case: one transition of one ticket, by a staff member or a citizen."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sunshine_kit.auth import Principal, check_act
from sunshine_kit.errors import NotFound, PermissionDenied, ValidationFailed

from hotline.domain.cross_level import Downward
from hotline.domain.dispatch import Assignment, Unit, UnitKind
from hotline.domain.follow import code_hash
from hotline.domain.loop import Act, Params, apply
from hotline.domain.ticket import Ticket
from hotline.domain.vocabulary import Satisfaction, TicketState
from hotline.domain.workflow import Action, Actor
from hotline.service.access import actor_for, unit_of
from hotline.service.tickets import NOT_FOUND_FOLLOW, HotlineConfig
from hotline.service.unit_of_work import HotlineUnitOfWork

# Actions a unit takes on a ticket only when it is the lead unit (主办).
LEAD_UNIT_ACTIONS = frozenset({Action.SIGN, Action.RETURN, Action.START, Action.ANSWER, Action.REQUEST_EXTENSION})
ASSIGNING = frozenset({Action.DISPATCH, Action.REASSIGN})


@dataclass(frozen=True)
class Transition:
    """What the caller asks for; which fields matter depends on the action."""

    action: Action
    note: str = ""
    lead_unit: str = ""
    assisting_units: tuple[str, ...] = ()
    answer: str = ""
    approved: bool = False
    reached: bool = True
    resolved: bool = False
    satisfaction: Satisfaction | None = None
    until: datetime | None = None
    primary_ticket_id: str = ""


def lead_of(config: HotlineConfig, ticket: Ticket) -> Unit | None:
    """The ticket's lead unit in the dispatch catalogue; None when it has none or the catalogue no longer has it."""
    try:
        return config.catalogue.unit(ticket.lead_unit) if ticket.lead_unit else None
    except NotFound:
        return None


def route_to(division: str, lead: Unit | None) -> Downward | None:
    """A lead unit that is a child stack has the ticket handed down to it (and what follows it there)."""
    if lead is None or lead.kind is not UnitKind.CHILD_STACK:
        return None
    return Downward(division, lead.division)


class HandlingService:
    def __init__(
        self, unit_of_work: Callable[[], HotlineUnitOfWork], config: HotlineConfig, clock: Callable[[], datetime]
    ) -> None:
        self._unit_of_work = unit_of_work
        self._config = config
        self._clock = clock

    async def transition(self, principal: Principal, ticket_id: str, request: Transition) -> Ticket:
        check_act(principal, self._config.identity.division)
        actor = actor_for(principal, request.action)
        async with self._unit_of_work() as uow:
            ticket = await self._locked(uow, ticket_id)
            if actor is Actor.UNIT and request.action in LEAD_UNIT_ACTIONS and unit_of(principal) != ticket.lead_unit:
                raise PermissionDenied(
                    f"{principal.subject} does not speak for the lead unit {ticket.lead_unit or '-'}"
                )
            if request.action is Action.MERGE:
                await self._check_primary(uow, ticket, request.primary_ticket_id)
            act = Act(actor, principal.subject, self._clock(), request.note.strip())
            await self._apply(uow, ticket, request, act)
        return ticket

    async def evaluate_as_citizen(self, number: str, code: str, satisfaction: Satisfaction | None) -> Ticket:
        """评价 by the citizen who follows the ticket (number and code)."""
        async with self._unit_of_work() as uow:
            found = await uow.tickets.followed(number.strip(), code_hash(number.strip(), code))
            if found is None:
                raise NotFound(NOT_FOUND_FOLLOW)
            ticket = await self._locked(uow, found.id)
            act = Act(Actor.CITIZEN, f"citizen:{ticket.number}", self._clock())
            await self._apply(uow, ticket, Transition(Action.EVALUATE, satisfaction=satisfaction), act)
        return ticket

    async def _apply(self, uow: HotlineUnitOfWork, ticket: Ticket, request: Transition, act: Act) -> None:
        known = len(ticket.history)
        apply(ticket, request.action, act, self._params(ticket, request), self._config.time_limits)
        await uow.tickets.save(ticket, known)
        await uow.publish(ticket.events)
        for child, work in ticket.handed_down:
            await uow.dispatch(child, [work])
        await uow.reply(ticket.replies)
        await uow.commit()

    def _params(self, ticket: Ticket, request: Transition) -> Params:
        assignment, followed = self._assignment(ticket, request)
        code = assignment.lead if assignment else ticket.lead_unit
        lead = self._config.catalogue.unit(code) if code else None
        return Params(
            assignment=assignment,
            lead_unit_kind=lead.kind.value if lead else "",
            downward=route_to(self._config.identity.division, lead),
            followed_suggestion=followed,
            answer=request.answer,
            approved=request.approved,
            reached=request.reached,
            resolved=request.resolved,
            satisfaction=request.satisfaction,
            until=request.until,
            primary_ticket_id=request.primary_ticket_id,
        )

    def _assignment(self, ticket: Ticket, request: Transition) -> tuple[Assignment | None, bool]:
        """The operator's choice, or the catalogue's suggestion when none is given; checked against the rules."""
        if request.action not in ASSIGNING:
            return None, False
        catalogue = self._config.catalogue
        suggestion = catalogue.suggest(ticket.topic, ticket.description)
        chosen = Assignment(request.lead_unit, request.assisting_units) if request.lead_unit else None
        if chosen is None and suggestion is None:
            raise ValidationFailed.field("lead_unit", "no suggestion in the dispatch catalogue: choose the lead unit")
        assignment = chosen or suggestion.assignment  # type: ignore[union-attr]
        catalogue.check(ticket.topic, assignment)
        return assignment, suggestion is not None and assignment == suggestion.assignment

    async def _locked(self, uow: HotlineUnitOfWork, ticket_id: str) -> Ticket:
        ticket = await uow.tickets.get(ticket_id, for_update=True)
        if ticket is None:
            raise NotFound(f"no ticket {ticket_id}")
        return ticket

    @staticmethod
    async def _check_primary(uow: HotlineUnitOfWork, ticket: Ticket, primary_id: str) -> None:
        primary = await uow.tickets.get(primary_id) if primary_id else None
        if primary is None or primary.id == ticket.id or primary.state is TicketState.MERGED:
            raise ValidationFailed.field(
                "primary_ticket_id", "name another ticket of this stack that is not itself merged"
            )
