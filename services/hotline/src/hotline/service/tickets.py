"""Ticket use cases: intake (受理) and reading a ticket."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from sunshine_kit.auth import Principal, Role, check_act, check_read, contains, require_role
from sunshine_kit.errors import NotFound, ValidationFailed
from sunshine_kit.identity import StackIdentity

from hotline.domain.ticket import Intake, Ticket
from hotline.domain.time_limits import TimeLimits
from hotline.service.unit_of_work import HotlineUnitOfWork


class TicketService:
    def __init__(
        self,
        unit_of_work: Callable[[], HotlineUnitOfWork],
        identity: StackIdentity,
        time_limits: TimeLimits,
        clock: Callable[[], datetime],
    ) -> None:
        self._unit_of_work = unit_of_work
        self._identity = identity
        self._time_limits = time_limits
        self._clock = clock

    async def accept(self, principal: Principal, intake: Intake) -> Ticket:
        require_role(principal, Role.HOTLINE_OPERATOR)
        check_act(principal, self._identity.division)
        ticket = Ticket.accept(intake, self._clock(), self._time_limits)
        self._check_place(ticket.place_division)
        async with self._unit_of_work() as uow:
            await uow.tickets.add(ticket)
            await uow.publish(ticket.events)
            await uow.commit()
        return ticket

    async def get(self, principal: Principal, ticket_id: str) -> Ticket:
        require_role(principal, Role.HOTLINE_OPERATOR, Role.LEADER, Role.STACK_OPERATOR)
        check_read(principal, self._identity.division)
        async with self._unit_of_work() as uow:
            ticket = await uow.tickets.get(ticket_id)
        if ticket is None:
            raise NotFound(f"no ticket {ticket_id}")
        return ticket

    def _check_place(self, place_division: str) -> None:
        own = self._identity.division
        if place_division != own and not contains(own, place_division):
            raise ValidationFailed.field("place_division", f"{place_division} is outside this stack's area {own}")
