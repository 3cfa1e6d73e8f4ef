"""Knowledge (知识库) use cases: search the disclosure catalogue, link the documents used to a ticket."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from sunshine_kit.auth import Principal, Role, check_act, require_read, require_role
from sunshine_kit.errors import NotFound, ValidationFailed

from hotline.adapters.disclosure_client import DisclosureClient
from hotline.domain.knowledge import Document, link
from hotline.domain.ticket import Ticket
from hotline.domain.workflow import Actor
from hotline.service.unit_of_work import HotlineUnitOfWork

DEFAULT_HITS = 10
MAX_HITS = 50
MAX_QUERY = 100


class KnowledgeService:
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

    async def search(self, principal: Principal, query: str, limit: int) -> list[Document]:
        """Operators (to answer on the spot) and handling units (to answer their tickets) of this stack."""
        require_read(principal, self._division, Role.HOTLINE_OPERATOR, Role.HANDLING_UNIT)
        text = query.strip()
        if not text or len(text) > MAX_QUERY:
            raise ValidationFailed.field("query", f"1 to {MAX_QUERY} characters")
        if limit < 0:
            raise ValidationFailed.field("limit", f"must not be negative (0 means {DEFAULT_HITS})")
        return await self._disclosure.search(text, min(limit or DEFAULT_HITS, MAX_HITS))

    async def link(self, principal: Principal, ticket_id: str, entry_ids: list[str]) -> Ticket:
        """An operator links the documents used; each is looked up at the disclosure service first."""
        require_role(principal, Role.HOTLINE_OPERATOR)
        check_act(principal, self._division)
        wanted = list(dict.fromkeys(i.strip() for i in entry_ids if i.strip()))
        if not wanted:
            raise ValidationFailed.field("entry_ids", "name at least one catalogue entry")
        documents = [await self._disclosure.document(entry_id) for entry_id in wanted]
        async with self._unit_of_work() as uow:
            ticket = await uow.tickets.get(ticket_id, for_update=True)
            if ticket is None:
                raise NotFound(f"no ticket {ticket_id}")
            known = len(ticket.history)
            linked = link(ticket, documents, Actor.OPERATOR, principal.subject, self._clock())
            await uow.tickets.save(ticket, known)
            await uow.tickets.add_documents(ticket.id, linked)
            await uow.commit()
        return ticket
