"""The periodic SLA sweep: ticks the clock of every open ticket (due soon, overdue, automatic urging), counting
provisional due times again first — every due time, after a year's official schedule changed
(`ServiceRuntime.watch_calendar`)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from hotline.domain.clock import ClockPolicy
from hotline.domain.vocabulary import OPEN_STATES
from hotline.service.handling import lead_of, route_to
from hotline.service.tickets import HotlineConfig
from hotline.service.unit_of_work import HotlineUnitOfWork


class ClockSweep:
    def __init__(
        self,
        unit_of_work: Callable[[], HotlineUnitOfWork],
        policy: ClockPolicy,
        config: HotlineConfig,
        clock: Callable[[], datetime],
    ) -> None:
        self._unit_of_work = unit_of_work
        self._policy = policy
        self._config = config
        self._clock = clock

    async def sweep(self) -> int:
        """One pass; returns how many events it produced. Each ticket in its own transaction."""
        return await self._sweep(everything=False)

    async def recount(self, changed_years: frozenset[int]) -> bool:
        """After a check of the calendar: one pass, counting every due time again when a year's official schedule
        changed. Every ticket is counted (each is locked, never skipped)."""
        await self._sweep(everything=bool(changed_years))
        return True

    async def _sweep(self, everything: bool) -> int:
        async with self._unit_of_work() as uow:
            ids = await uow.tickets.open_ids(OPEN_STATES)
        produced = 0
        for ticket_id in ids:
            produced += await self._tick(ticket_id, everything)
        return produced

    async def _tick(self, ticket_id: str, everything: bool) -> int:
        async with self._unit_of_work() as uow:
            ticket = await uow.tickets.get(ticket_id, for_update=True)
            if ticket is None:
                return 0
            known = len(ticket.history)
            downward = route_to(self._config.identity.division, lead_of(self._config, ticket))
            self._policy.tick(ticket, self._clock(), self._config.time_limits, everything, downward)
            if not ticket.events:
                return 0
            await uow.tickets.save(ticket, known)
            await uow.publish(ticket.events)
            for child, work in ticket.handed_down:
                await uow.dispatch(child, [work])
            await uow.commit()
            return len(ticket.events)
