"""A call that is really a disclosure request, handed to the disclosure service (domain/disclosure_routing.py)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sunshine_kit.auth import Principal, Role, check_act, require_role
from sunshine_kit.errors import NotFound

from hotline.adapters.disclosure_client import DisclosureClient, SubmittedRequest
from hotline.domain.disclosure_routing import Consent, application, hand_over
from hotline.domain.ticket import Ticket
from hotline.service.unit_of_work import HotlineUnitOfWork


@dataclass(frozen=True)
class HandedOver:
    ticket: Ticket
    request: SubmittedRequest


class HandOverService:
    def __init__(
        self,
        unit_of_work: Callable[[], HotlineUnitOfWork],
        disclosure: DisclosureClient,
        division: str,
        clock: Callable[[], datetime],
    ) -> None:
        self._unit_of_work = unit_of_work
        self._disclosure = disclosure
        self._division = division
        self._clock = clock

    async def hand_over(
        self, principal: Principal, credentials: tuple[tuple[str, str], ...], ticket_id: str, consent: Consent
    ) -> HandedOver:
        """Submit the request with the operator's own credentials, then close the ticket with its number.

        The submission is not held inside the ticket's transaction (no database lock across a remote call):
        checked before, the ticket is checked again when it is closed. It carries the ticket's idempotency key
        (`hand_over_key`), so a hand-over retried after a lost reply, a crash or a failed close finds the request
        already submitted (same number, a new secret code) instead of making a second one. A ticket another
        operator moved in between is refused (409) and the request just submitted stands without a ticket naming
        it (docs/hotline.md)."""
        require_role(principal, Role.HOTLINE_OPERATOR)
        check_act(principal, self._division)
        async with self._unit_of_work() as uow:
            ticket = await _found(uow, ticket_id)
        submitted = await self._disclosure.submit_request(application(ticket, consent), credentials)
        async with self._unit_of_work() as uow:
            ticket = await _found(uow, ticket_id, for_update=True)
            known = len(ticket.history)
            hand_over(ticket, submitted.number, principal.subject, self._clock())
            await uow.tickets.save(ticket, known)
            await uow.publish(ticket.events)
            await uow.reply(ticket.replies)  # a ticket handed down from the parent: its answer goes back up
            await uow.commit()
        return HandedOver(ticket, submitted)


async def _found(uow: HotlineUnitOfWork, ticket_id: str, for_update: bool = False) -> Ticket:
    ticket = await uow.tickets.get(ticket_id, for_update=for_update)
    if ticket is None:
        raise NotFound(f"no ticket {ticket_id}")
    return ticket
