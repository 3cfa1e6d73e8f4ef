"""Catalogue use cases: publishing (staff) and reading (public)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from sunshine_kit.auth import Principal, Role, check_act, require_role
from sunshine_kit.errors import NotFound
from sunshine_kit.identity import StackIdentity
from sunshine_kit.working_days import WorkingDayCalendar

from disclosure.domain.catalogue import CatalogueEntry, EntryDraft
from disclosure.domain.search_query import Hit, SearchQuery
from disclosure.service.unit_of_work import DisclosureUnitOfWork


class CatalogueService:
    def __init__(
        self,
        unit_of_work: Callable[[], DisclosureUnitOfWork],
        identity: StackIdentity,
        calendar: WorkingDayCalendar,
        clock: Callable[[], datetime],
    ) -> None:
        self._unit_of_work = unit_of_work
        self._identity = identity
        self._calendar = calendar
        self._clock = clock

    async def publish(self, principal: Principal, draft: EntryDraft) -> CatalogueEntry:
        require_role(principal, Role.DISCLOSURE_OFFICER)
        check_act(principal, self._identity.division)
        entry = CatalogueEntry.publish(draft, self._identity.division, self._clock(), self._calendar)
        async with self._unit_of_work() as uow:
            await uow.catalogue.add(entry)
            await uow.publish(entry.events)
            await uow.commit()
        return entry

    async def get(self, entry_id: str) -> CatalogueEntry:
        """Published entries are public: no principal needed."""
        async with self._unit_of_work() as uow:
            entry = await uow.catalogue.get(entry_id)
        if entry is None:
            raise NotFound(f"no catalogue entry {entry_id}")
        return entry

    async def search(self, query: SearchQuery) -> list[Hit]:
        """Public full-text search."""
        query = query.validated()
        async with self._unit_of_work() as uow:
            return await uow.catalogue.search(query)
