"""Cross-level dispatch's use cases, run by the level consumers inside the inbox's transaction: the child
receives handed-down work and the origin's later actions on it, and replies; the origin follows the child's
progress and records its replies (domain/cross_level.py, domain/from_above.py)."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Protocol

from google.protobuf.message import Message
from sqlalchemy.ext.asyncio import AsyncSession
from sunshine.dispatch.v1 import hotline_pb2 as down

from hotline.adapters.personal_data import PersonalDataCipher
from hotline.adapters.ticket_repository import TicketRepository
from hotline.domain import from_above
from hotline.domain.cross_level import Progress, answered_below, follow, received, refused_below
from hotline.domain.follow import new_number
from hotline.domain.loop import Params
from hotline.domain.ticket import Origin, Ticket
from hotline.service.handling import lead_of, route_to
from hotline.service.tickets import HotlineConfig

log = logging.getLogger(__name__)


class WorkNotReceivedYet(Exception):
    """The origin acted on work this stack has not received yet. Nothing orders the work before the actions on
    it (the inbox naks a failed message and goes on; replicas share the consumer), so the action may overtake
    it: the handler fails, and the inbox delivers the action again later, up to its `max_deliver`."""

    def __init__(self, origin: Origin) -> None:
        self.origin = origin
        super().__init__(f"{origin.division} acted on ticket {origin.ticket_id}, which has not been received here yet")


class Outlets(Protocol):
    """Where messages go from a consumer, in the inbox's transaction (ServiceRuntime): upward events, work for
    a child stack, replies to the parent stack."""

    async def publish_in(self, session: AsyncSession, payloads: Iterable[Message]) -> None: ...

    async def dispatch_in(self, session: AsyncSession, child: str, payloads: Iterable[Message]) -> None: ...

    async def reply_in(self, session: AsyncSession, payloads: Iterable[Message]) -> None: ...


class CrossLevel:
    def __init__(
        self, config: HotlineConfig, cipher: PersonalDataCipher, outlets: Outlets, clock: Callable[[], datetime]
    ) -> None:
        self._config = config
        self._division = config.identity.division
        self._cipher = cipher
        self._outlets = outlets
        self._clock = clock

    async def receive(self, session: AsyncSession, work: down.TicketHandedDown) -> None:
        """Accept the parent's work as a ticket of this stack, once per origin ticket."""
        tickets = TicketRepository(session, self._cipher)
        if await tickets.by_origin(Origin(work.origin_division, work.origin_ticket_id)) is not None:
            return
        now = self._clock()
        ticket = received(work, now, new_number(now))
        await tickets.add(ticket)
        await self._outlets.publish_in(session, ticket.events)

    async def pressed(self, session: AsyncSession, work: down.HandedDownTicketUrged) -> None:
        """催办/督办 by the origin, on this stack's ticket for its work."""
        tickets, ticket = await self._from_above(session, Origin(work.origin_division, work.origin_ticket_id))
        known = len(ticket.history)
        from_above.pressed(ticket, work, self._clock(), self._params(ticket), self._config.time_limits)
        await self._save(session, tickets, ticket, known)

    async def reopened(self, session: AsyncSession, work: down.HandedDownTicketReopened) -> None:
        """重办 by the origin, of this stack's ticket for its work."""
        tickets, ticket = await self._from_above(session, Origin(work.origin_division, work.origin_ticket_id))
        known = len(ticket.history)
        from_above.reopened(ticket, work, self._clock(), self._params(ticket), self._config.time_limits)
        await self._save(session, tickets, ticket, known)

    async def due_recomputed(self, session: AsyncSession, work: down.HandedDownTicketDueRecomputed) -> None:
        """The origin counted the due time of its work again, on this stack's ticket for it."""
        tickets, ticket = await self._from_above(session, Origin(work.origin_division, work.origin_ticket_id))
        known = len(ticket.history)
        if from_above.due_recomputed(ticket, work, self._clock(), self._params(ticket).downward):
            await self._save(session, tickets, ticket, known)

    async def follow(self, session: AsyncSession, progress: Progress) -> None:
        """Record a child's step on the ticket this stack handed down; steps of others' tickets are not ours."""
        if progress.origin_division != self._division:
            return
        tickets, ticket = await self._handed_down(session, progress.origin_ticket_id, progress.division)
        if ticket is not None:
            known = len(ticket.history)
            if follow(ticket, progress):
                await self._save(session, tickets, ticket, known)

    async def answered(self, session: AsyncSession, reply: down.HandedDownTicketClosed, child: str) -> None:
        """The child's answer to a ticket this stack handed down, for the callback (回访)."""
        tickets, ticket = await self._handed_down(session, reply.origin_ticket_id, child)
        if ticket is not None:
            known = len(ticket.history)
            if answered_below(ticket, reply, child):
                await self._save(session, tickets, ticket, known)

    async def refused(self, session: AsyncSession, refusal: down.HandedDownActionRefused, child: str) -> None:
        """The child could not take an action this stack sent down."""
        tickets, ticket = await self._handed_down(session, refusal.origin_ticket_id, child)
        if ticket is not None:
            known = len(ticket.history)
            if refused_below(ticket, refusal, child, self._clock()):
                await self._save(session, tickets, ticket, known)

    async def _from_above(self, session: AsyncSession, origin: Origin) -> tuple[TicketRepository, Ticket]:
        """This stack's ticket for the origin's work; WorkNotReceivedYet, for the inbox to retry, when the work
        has not arrived yet."""
        tickets = TicketRepository(session, self._cipher)
        found = await tickets.by_origin(origin)
        ticket = None if found is None else await tickets.get(found.id, for_update=True)
        if ticket is None:
            raise WorkNotReceivedYet(origin)
        return tickets, ticket

    async def _handed_down(
        self, session: AsyncSession, ticket_id: str, child: str
    ) -> tuple[TicketRepository, Ticket | None]:
        tickets = TicketRepository(session, self._cipher)
        ticket = await tickets.get(ticket_id, for_update=True)
        if ticket is None:
            log.warning("%s reported on ticket %s, which this stack does not have", child, ticket_id)
        return tickets, ticket

    def _params(self, ticket: Ticket) -> Params:
        """The lead unit's kind, and the route on down when this stack handed the ticket further down."""
        lead = lead_of(self._config, ticket)
        kind = lead.kind.value if lead else ""
        return Params(lead_unit_kind=kind, downward=route_to(self._division, lead))

    async def _save(self, session: AsyncSession, tickets: TicketRepository, ticket: Ticket, known: int) -> None:
        await tickets.save(ticket, known)
        await self._outlets.publish_in(session, ticket.events)
        for child, work in ticket.handed_down:
            await self._outlets.dispatch_in(session, child, [work])
        await self._outlets.reply_in(session, ticket.replies)
