"""Cross-level dispatch's use cases, run by the level consumers inside the inbox's transaction: the child
receives handed-down work; the origin follows the child's progress (domain/cross_level.py)."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Iterable
from datetime import datetime

from google.protobuf.message import Message
from sqlalchemy.ext.asyncio import AsyncSession
from sunshine.dispatch.v1.hotline_pb2 import TicketHandedDown

from hotline.adapters.personal_data import PersonalDataCipher
from hotline.adapters.ticket_repository import TicketRepository
from hotline.domain.cross_level import Progress, follow, received
from hotline.domain.follow import new_number
from hotline.domain.ticket import Origin

log = logging.getLogger(__name__)
# Queues this service's events in the inbox's transaction (ServiceRuntime.publish_in).
Publish = Callable[[AsyncSession, Iterable[Message]], Awaitable[None]]


class CrossLevel:
    def __init__(
        self, division: str, cipher: PersonalDataCipher, publish: Publish, clock: Callable[[], datetime]
    ) -> None:
        self._division = division
        self._cipher = cipher
        self._publish = publish
        self._clock = clock

    async def receive(self, session: AsyncSession, work: TicketHandedDown) -> None:
        """Accept the parent's work as a ticket of this stack, once per origin ticket."""
        tickets = TicketRepository(session, self._cipher)
        if await tickets.by_origin(Origin(work.origin_division, work.origin_ticket_id)) is not None:
            return
        now = self._clock()
        ticket = received(work, now, new_number(now))
        await tickets.add(ticket)
        await self._publish(session, ticket.events)

    async def follow(self, session: AsyncSession, progress: Progress) -> None:
        """Record a child's step on the ticket this stack handed down; steps of others' tickets are not ours."""
        if progress.origin_division != self._division:
            return
        tickets = TicketRepository(session, self._cipher)
        ticket = await tickets.get(progress.origin_ticket_id, for_update=True)
        if ticket is None:
            log.warning(
                "%s reported on ticket %s, which this stack does not have", progress.division, progress.origin_ticket_id
            )
            return
        known = len(ticket.history)
        if follow(ticket, progress):
            await tickets.save(ticket, known)
            await self._publish(session, ticket.events)
