from __future__ import annotations

from sunshine_kit.unit_of_work import UnitOfWork

from hotline.adapters.ticket_repository import TicketRepository


class HotlineUnitOfWork(UnitOfWork):
    tickets: TicketRepository

    async def __aenter__(self) -> HotlineUnitOfWork:
        await super().__aenter__()
        self.tickets = TicketRepository(self.session)
        return self
