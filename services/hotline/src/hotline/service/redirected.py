"""Disclosure requests redirected to the hotline as complaints (Art. 39), accepted as tickets by the consumer of
`DisclosureRequestRedirected`, inside the inbox's transaction (domain/disclosure_routing.py)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession
from sunshine.events.v1.disclosure_pb2 import DisclosureRequestRedirected

from hotline.adapters.personal_data import PersonalDataCipher
from hotline.adapters.ticket_repository import TicketRepository
from hotline.domain.disclosure_routing import redirected
from hotline.domain.follow import new_number
from hotline.domain.time_limits import TimeLimits
from hotline.service.cross_level import Publish


class RedirectedComplaints:
    def __init__(
        self,
        cipher: PersonalDataCipher,
        publish: Publish,
        time_limits: TimeLimits,
        topic: str,
        clock: Callable[[], datetime],
    ) -> None:
        self._cipher = cipher
        self._publish = publish
        self._time_limits = time_limits
        self._topic = topic
        self._clock = clock

    async def receive(self, session: AsyncSession, event: DisclosureRequestRedirected) -> None:
        """One ticket per disclosure request: another copy of the event finds it and changes nothing."""
        tickets = TicketRepository(session, self._cipher)
        if await tickets.by_disclosure_request(event.request_id) is not None:
            return
        now = self._clock()
        ticket = redirected(event, now, new_number(now), self._time_limits, self._topic)
        await tickets.add(ticket)
        await self._publish(session, ticket.events)
