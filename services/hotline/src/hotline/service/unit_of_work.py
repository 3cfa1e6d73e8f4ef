from __future__ import annotations

from collections.abc import Callable

from sunshine_kit.unit_of_work import UnitOfWork

from hotline.adapters.personal_data import PersonalDataCipher
from hotline.adapters.ticket_repository import TicketRepository
from hotline.adapters.ticket_statistics import TicketStatistics


class HotlineUnitOfWork(UnitOfWork):
    cipher: PersonalDataCipher
    tickets: TicketRepository
    statistics: TicketStatistics

    async def __aenter__(self) -> HotlineUnitOfWork:
        await super().__aenter__()
        self.tickets = TicketRepository(self.session, self.cipher)
        self.statistics = TicketStatistics(self.session, self.cipher)
        return self


def with_cipher(
    unit_of_work: Callable[[], HotlineUnitOfWork], cipher: PersonalDataCipher
) -> Callable[[], HotlineUnitOfWork]:
    """The runtime's factory, with the caller-data cipher handed to each unit of work."""

    def make() -> HotlineUnitOfWork:
        uow = unit_of_work()
        uow.cipher = cipher
        return uow

    return make
