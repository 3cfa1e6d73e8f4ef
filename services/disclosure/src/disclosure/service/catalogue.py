"""Catalogue use cases: the lifecycle (disclosure officer of the stack's division) and reading (public)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

from sunshine_kit.auth import Principal, Role, check_act, require_role
from sunshine_kit.errors import NotFound, ValidationFailed
from sunshine_kit.identity import StackIdentity
from sunshine_kit.timestamps import china_date
from sunshine_kit.working_days import WorkingDayCalendar

from disclosure.domain.catalogue import CatalogueEntry, EntryState
from disclosure.domain.catalogue_content import EntryContent
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

    # --- staff -------------------------------------------------------------------------------------------------

    async def create_draft(self, principal: Principal, content: EntryContent, interprets: str) -> CatalogueEntry:
        self._check_editor(principal)
        async with self._unit_of_work() as uow:
            policy = await self._policy(uow, interprets)
            entry = CatalogueEntry.draft(
                content, self._identity.division, china_date(self._clock()), self._calendar, policy
            )
            await uow.catalogue.add(entry)
            await uow.commit()
        return entry

    async def publish(self, principal: Principal, content: EntryContent, interprets: str) -> CatalogueEntry:
        """A draft published at once."""
        self._check_editor(principal)
        now = self._clock()
        async with self._unit_of_work() as uow:
            policy = await self._policy(uow, interprets)
            entry = CatalogueEntry.draft(content, self._identity.division, china_date(now), self._calendar, policy)
            entry.publish(now, policy)
            await uow.catalogue.add(entry)
            await uow.publish(entry.events)
            await uow.commit()
        return entry

    async def publish_draft(self, principal: Principal, entry_id: str) -> CatalogueEntry:
        self._check_editor(principal)
        async with self._unit_of_work() as uow:
            entry = await self._load(uow, entry_id, drafts=True)
            policy = await self._policy(uow, entry.interprets)
            entry.publish(self._clock(), policy)
            await self._save(uow, entry)
        return entry

    async def edit_draft(self, principal: Principal, entry_id: str, content: EntryContent) -> CatalogueEntry:
        self._check_editor(principal)
        async with self._unit_of_work() as uow:
            entry = await self._load(uow, entry_id, drafts=True)
            entry.edit(content, self._clock(), self._calendar)
            await self._save(uow, entry)
        return entry

    async def withdraw_draft(self, principal: Principal, entry_id: str, reason: str) -> CatalogueEntry:
        self._check_editor(principal)
        async with self._unit_of_work() as uow:
            entry = await self._load(uow, entry_id, drafts=True)
            entry.withdraw(reason, china_date(self._clock()))
            await self._save(uow, entry)
        return entry

    async def revise(self, principal: Principal, entry_id: str, content: EntryContent) -> CatalogueEntry:
        self._check_editor(principal)
        async with self._unit_of_work() as uow:
            entry = await self._load(uow, entry_id, drafts=True)
            entry.revise(content, self._clock(), self._calendar)
            await self._save(uow, entry)
        return entry

    async def repeal(self, principal: Principal, entry_id: str, repealed_on: date | None) -> CatalogueEntry:
        self._check_editor(principal)
        async with self._unit_of_work() as uow:
            entry = await self._load(uow, entry_id, drafts=True)
            entry.repeal(repealed_on, china_date(self._clock()))
            await self._save(uow, entry)
        return entry

    async def drafts(self, principal: Principal, withdrawn: bool = False) -> list[CatalogueEntry]:
        """The current drafts, or the withdrawn ones."""
        self._check_editor(principal)
        async with self._unit_of_work() as uow:
            return await uow.catalogue.drafts(EntryState.WITHDRAWN if withdrawn else EntryState.DRAFT)

    # --- public: published and repealed entries only -----------------------------------------------------------

    async def get(self, entry_id: str) -> CatalogueEntry:
        async with self._unit_of_work() as uow:
            return await self._load(uow, entry_id, drafts=False)

    async def interpretations(self, policy_id: str) -> list[CatalogueEntry]:
        async with self._unit_of_work() as uow:
            await self._load(uow, policy_id, drafts=False)
            return await uow.catalogue.interpretations(policy_id)

    async def search(self, query: SearchQuery) -> list[Hit]:
        query = query.validated()
        async with self._unit_of_work() as uow:
            return await uow.catalogue.search(query)

    # --- helpers -----------------------------------------------------------------------------------------------

    def _check_editor(self, principal: Principal) -> None:
        require_role(principal, Role.DISCLOSURE_OFFICER)
        check_act(principal, self._identity.division)

    @staticmethod
    async def _load(uow: DisclosureUnitOfWork, entry_id: str, drafts: bool) -> CatalogueEntry:
        """A draft (or a withdrawn one) is not found by the public: it does not exist for them."""
        entry = await uow.catalogue.get(entry_id)
        if entry is None or not (drafts or entry.is_public):
            raise NotFound(f"no catalogue entry {entry_id}")
        return entry

    @staticmethod
    async def _policy(uow: DisclosureUnitOfWork, interprets: str) -> CatalogueEntry | None:
        if not interprets:
            return None
        policy = await uow.catalogue.get(interprets)
        if policy is None:
            raise ValidationFailed.field("interprets", f"no catalogue entry {interprets}")
        return policy

    @staticmethod
    async def _save(uow: DisclosureUnitOfWork, entry: CatalogueEntry) -> None:
        await uow.catalogue.save(entry)
        await uow.publish(entry.events)
        await uow.commit()
