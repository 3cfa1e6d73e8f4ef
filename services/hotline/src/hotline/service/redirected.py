"""Disclosure requests redirected to the hotline as complaints (Art. 39), accepted as tickets by the consumer of
`DisclosureRequestRedirected`, inside the inbox's transaction (domain/disclosure_routing.py); their applicants
are then fetched from the disclosure service with the hotline's service token and sealed on the tickets.

Fetching is not done in the consumer: the inbox's transaction holds the database while it runs, and a remote
call does not belong inside it. The ticket is accepted from the event alone, so no event waits on the disclosure
service; `RedirectedApplicants.fill_in` runs at the service's start and then on its interval, and fills in
what is missing once the disclosure service answers.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Iterable
from datetime import datetime

from google.protobuf.message import Message
from sqlalchemy.ext.asyncio import AsyncSession
from sunshine.events.v1.disclosure_pb2 import DisclosureRequestRedirected
from sunshine_kit.auth import ServiceCredentials
from sunshine_kit.errors import DependencyUnavailable, NotFound, PermissionDenied, SunshineError, Unauthenticated

from hotline.adapters.disclosure_client import DisclosureClient
from hotline.adapters.personal_data import PersonalDataCipher
from hotline.adapters.ticket_repository import TicketRepository
from hotline.domain.disclosure_routing import applicant_unavailable, record_applicant, redirected
from hotline.domain.follow import new_number
from hotline.domain.time_limits import TimeLimits
from hotline.service.unit_of_work import HotlineUnitOfWork

log = logging.getLogger(__name__)
BATCH = 50
# Queues this service's events in the inbox's transaction (ServiceRuntime.publish_in).
Publish = Callable[[AsyncSession, Iterable[Message]], Awaitable[None]]


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


class RedirectedApplicants:
    """Seals each redirected request's applicant on its ticket, as caller data (adapters/personal_data.py)."""

    def __init__(
        self,
        unit_of_work: Callable[[], HotlineUnitOfWork],
        disclosure: DisclosureClient,
        credentials: ServiceCredentials,
        clock: Callable[[], datetime],
    ) -> None:
        self._unit_of_work = unit_of_work
        self._disclosure = disclosure
        self._credentials = credentials
        self._clock = clock

    async def fill_in(self) -> int:
        """One round over the tickets still waiting (at most BATCH, oldest first); returns how many got their
        applicant. The disclosure service unreachable, or not accepting the hotline's service token or grant, ends
        the round: the rest wait for the next. A ticket whose applicant cannot come (no such redirected request,
        or no contact on it) stops waiting, logged once and with the reason in its history, so it cannot
        hold back the tickets behind it."""
        async with self._unit_of_work() as uow:
            waiting = await uow.tickets.awaiting_applicant(BATCH)
        filled = 0
        for ticket_id in waiting:
            try:
                filled += await self._fill_in(ticket_id)
            except DependencyUnavailable as error:
                log.warning("applicants of redirected requests wait: the disclosure service is unavailable: %s", error)
                break
            except (Unauthenticated, PermissionDenied) as error:
                # The hotline's identity or grant, not this ticket: every ticket would fail alike until fixed.
                log.error("applicants of redirected requests wait: the hotline's service token is refused: %s", error)
                break
            except SunshineError as error:
                log.error(
                    "the applicant of ticket %s cannot be read from the disclosure service; not asked again: %s",
                    ticket_id,
                    error,
                )
                await self._unavailable(ticket_id, _REASONS.get(type(error), "政务公开系统无法提供"))
        return filled

    async def _fill_in(self, ticket_id: str) -> bool:
        async with self._unit_of_work() as uow:
            ticket = await uow.tickets.get(ticket_id)
        if ticket is None:
            return False
        applicant = await self._disclosure.redirected_applicant(
            ticket.disclosure_request_id, self._credentials.metadata()
        )
        if applicant.is_anonymous:
            log.warning(
                "the applicant of ticket %s left no contact on the disclosure request; not asked again", ticket_id
            )
            await self._unavailable(ticket_id, "申请未留联系方式")
            return False
        async with self._unit_of_work() as uow:
            # Read again under the lock: another replica may have filled it in meanwhile.
            ticket = await uow.tickets.get(ticket_id, for_update=True)
            known = len(ticket.history) if ticket else 0
            if ticket is None or not record_applicant(ticket, applicant, self._clock()):
                return False
            await uow.tickets.save(ticket, known)
            await uow.commit()
        return True

    async def _unavailable(self, ticket_id: str, reason: str) -> None:
        async with self._unit_of_work() as uow:
            ticket = await uow.tickets.get(ticket_id, for_update=True)
            known = len(ticket.history) if ticket else 0
            if ticket is None or not applicant_unavailable(ticket, reason, self._clock()):
                return
            await uow.tickets.save(ticket, known)
            await uow.commit()


# What the history says when the disclosure service will not give a ticket's applicant.
_REASONS: dict[type[SunshineError], str] = {
    NotFound: "政务公开系统中没有该转办申请",
}
