"""Ticket use cases: intake (受理) by operators and citizens, reading, following, duplicates."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sunshine_kit.auth import Principal, Role, check_act, contains, require_read, require_role
from sunshine_kit.errors import NotFound, ValidationFailed
from sunshine_kit.identity import StackIdentity

from hotline.adapters.ticket_repository import TicketQuery
from hotline.domain.dispatch import DispatchCatalogue, Suggestion, Unit
from hotline.domain.duplicates import DuplicateRule, Match
from hotline.domain.follow import code_hash, new_code, new_number
from hotline.domain.privacy import listed_to, sees_caller, shown_to
from hotline.domain.taxonomy import Taxonomy, Topic
from hotline.domain.ticket import Intake, Ticket
from hotline.domain.time_limits import TimeLimits
from hotline.domain.vocabulary import CITIZEN_CHANNELS, SYSTEM_CHANNELS, Channel
from hotline.domain.workflow import Actor
from hotline.service.access import unit_of, viewer
from hotline.service.unit_of_work import HotlineUnitOfWork

NOT_FOUND_FOLLOW = "没有找到该工单，请核对工单编号和查询码"


@dataclass(frozen=True)
class HotlineConfig:
    """Everything configured per stack that the use cases need."""

    identity: StackIdentity
    time_limits: TimeLimits
    taxonomy: Taxonomy
    catalogue: DispatchCatalogue
    duplicates: DuplicateRule


@dataclass(frozen=True)
class Submitted:
    """A citizen's ticket, with the code they follow it by (shown once, stored only as a hash)."""

    ticket: Ticket
    code: str


class TicketService:
    def __init__(
        self, unit_of_work: Callable[[], HotlineUnitOfWork], config: HotlineConfig, clock: Callable[[], datetime]
    ) -> None:
        self._unit_of_work = unit_of_work
        self._config = config
        self._clock = clock

    async def accept(self, principal: Principal, intake: Intake) -> Submitted:
        """An operator records a call (or a message from any channel) as a ticket."""
        require_role(principal, Role.HOTLINE_OPERATOR)
        check_act(principal, self._config.identity.division)
        if intake.channel in SYSTEM_CHANNELS:
            raise ValidationFailed.field(
                "channel", "only the parent stack hands tickets down (下派), only the disclosure service redirects"
            )
        return await self._intake(intake)

    async def submit(self, intake: Intake) -> Submitted:
        """A citizen files a ticket through web, app, WeChat, email or Open311; no sign-in."""
        if intake.channel not in CITIZEN_CHANNELS:
            raise ValidationFailed.field("channel", "citizens file through web, app, wechat, email or open311")
        return await self._intake(intake)

    async def overdue_count(self) -> int:
        """For monitoring: open tickets past their due time now (超期工单)."""
        async with self._unit_of_work() as uow:
            return await uow.statistics.overdue_open(self._clock())

    async def get(self, principal: Principal, ticket_id: str) -> Ticket:
        who = viewer(principal, self._config.identity.division)
        async with self._unit_of_work() as uow:
            ticket = await uow.tickets.get(ticket_id)
            if ticket is None or not _may_see(who, principal, ticket):
                raise NotFound(f"no ticket {ticket_id}")
            if sees_caller(who, ticket):
                uow.audited_read("caller", f"ticket:{ticket.id}")
                await uow.commit()
        return shown_to(who, ticket)

    async def list(self, principal: Principal, query: TicketQuery) -> list[Ticket]:
        """Callers masked for everyone: a caller is read on the ticket itself (GetTicket), one read at a time."""
        who = viewer(principal, self._config.identity.division)
        if query.limit < 0:
            raise ValidationFailed.field("limit", "must not be negative (0 means 100)")
        if who is Actor.UNIT:
            query = dataclasses.replace(query, lead_unit=unit_of(principal))
        async with self._unit_of_work() as uow:
            found = await uow.tickets.list(query)
        return [listed_to(who, t) for t in found]

    async def list_public(self, query: TicketQuery) -> list[Ticket]:
        """Open311's public list: only tickets filed through Open311 and not confidential, without callers, the
        address and description masked."""
        public = dataclasses.replace(query, exclude_confidential=True, channel=Channel.OPEN311)
        async with self._unit_of_work() as uow:
            found = await uow.tickets.list(public)
        return [shown_to(Actor.CITIZEN, t) for t in found]

    async def follow(self, number: str, code: str) -> Ticket:
        """A citizen's view by number and code; a merged ticket shows its primary's handling and outcome."""
        async with self._unit_of_work() as uow:
            ticket = await uow.tickets.followed(number.strip(), code_hash(number.strip(), code))
            if ticket is None:
                raise NotFound(NOT_FOUND_FOLLOW)
            primary = await uow.tickets.get(ticket.merged_into) if ticket.merged_into else None
        shown = shown_to(Actor.CITIZEN, ticket)
        if primary is not None:
            shown = dataclasses.replace(shown, state=primary.state, answer=primary.answer, due_at=primary.due_at)
        return shown

    def shown(self, principal: Principal, ticket: Ticket) -> Ticket:
        """The ticket as this principal may see it (caller masked as their role requires)."""
        return shown_to(viewer(principal, self._config.identity.division), ticket)

    def topics(self) -> tuple[Topic, ...]:
        return self._config.taxonomy.topics

    def units(self, principal: Principal) -> tuple[Unit, ...]:
        """The dispatch catalogue's units: for the staff who read this stack's tickets."""
        viewer(principal, self._config.identity.division)
        return self._config.catalogue.units

    async def suggest_dispatch(self, principal: Principal, ticket_id: str) -> Suggestion | None:
        ticket = await self._operator_ticket(principal, ticket_id)
        return self._config.catalogue.suggest(ticket.topic, ticket.description)

    async def duplicates(self, principal: Principal, ticket_id: str) -> list[Match]:
        ticket = await self._operator_ticket(principal, ticket_id)
        async with self._unit_of_work() as uow:
            return await self._matches(uow, ticket)

    async def _intake(self, intake: Intake) -> Submitted:
        now, code = self._clock(), new_code()
        number = new_number(now)
        ticket = Ticket.accept(intake, now, self._config.time_limits, number, code_hash(number, code))
        self._config.taxonomy.require(ticket.topic)
        self._check_place(ticket.place_division)
        async with self._unit_of_work() as uow:
            best = next(iter(await self._matches(uow, ticket)), None)
            if best is not None:
                ticket.duplicate_of, ticket.duplicate_score = best.ticket_id, best.score
            await uow.tickets.add(ticket)
            await uow.publish(ticket.events)
            await uow.commit()
        return Submitted(ticket, code)

    async def _matches(self, uow: HotlineUnitOfWork, ticket: Ticket) -> list[Match]:
        rule = self._config.duplicates
        candidates = await uow.tickets.duplicate_candidates(ticket, ticket.accepted_at - rule.window)
        key = uow.tickets.caller_key(ticket)
        return rule.matches(ticket.description, ticket.place_division, key, ticket.accepted_at, candidates)

    async def _operator_ticket(self, principal: Principal, ticket_id: str) -> Ticket:
        require_read(principal, self._config.identity.division, Role.HOTLINE_OPERATOR)
        async with self._unit_of_work() as uow:
            ticket = await uow.tickets.get(ticket_id)
        if ticket is None:
            raise NotFound(f"no ticket {ticket_id}")
        return ticket

    def _check_place(self, place_division: str) -> None:
        own = self._config.identity.division
        if place_division != own and not contains(own, place_division):
            raise ValidationFailed.field("place_division", f"{place_division} is outside this stack's area {own}")


def _may_see(who: Actor, principal: Principal, ticket: Ticket) -> bool:
    """A unit sees only the tickets it leads or assists on."""
    return who is not Actor.UNIT or unit_of(principal) in (ticket.lead_unit, *ticket.assisting_units)
