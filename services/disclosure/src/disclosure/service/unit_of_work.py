from __future__ import annotations

from sunshine_kit.unit_of_work import UnitOfWork

from disclosure.adapters.catalogue_repository import CatalogueRepository


class DisclosureUnitOfWork(UnitOfWork):
    catalogue: CatalogueRepository

    async def __aenter__(self) -> DisclosureUnitOfWork:
        await super().__aenter__()
        self.catalogue = CatalogueRepository(self.session)
        return self
