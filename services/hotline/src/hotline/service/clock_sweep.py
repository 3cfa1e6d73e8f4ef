"""The periodic SLA sweep: ticks the clock of every open ticket (due soon, overdue, automatic urging)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from hotline.domain.clock import ClockPolicy
from hotline.domain.time_limits import TimeLimits
from hotline.domain.vocabulary import OPEN_STATES
from hotline.service.unit_of_work import HotlineUnitOfWork


class ClockSweep:
    def __init__(
        self,
        unit_of_work: Callable[[], HotlineUnitOfWork],
        policy: ClockPolicy,
        time_limits: TimeLimits,
        clock: Callable[[], datetime],
    ) -> None:
        self._unit_of_work = unit_of_work
        self._policy = policy
        self._time_limits = time_limits
        self._clock = clock

    async def sweep(self) -> int:
        """One pass; returns how many events it produced. Each ticket in its own transaction."""
        async with self._unit_of_work() as uow:
            ids = await uow.tickets.open_ids(OPEN_STATES)
        produced = 0
        for ticket_id in ids:
            produced += await self._tick(ticket_id)
        return produced

    async def _tick(self, ticket_id: str) -> int:
        async with self._unit_of_work() as uow:
            ticket = await uow.tickets.get(ticket_id, for_update=True)
            if ticket is None:
                return 0
            known = len(ticket.history)
            self._policy.tick(ticket, self._clock(), self._time_limits)
            if not ticket.events:
                return 0
            await uow.tickets.save(ticket, known)
            await uow.publish(ticket.events)
            await uow.commit()
            return len(ticket.events)
