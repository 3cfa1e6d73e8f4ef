"""Dates counted again on the calendar as it is now (docs/working-days.md).

Runs after every check of the calendar (`ServiceRuntime.watch_calendar`: at start and every few minutes), so an
official arrangement that arrived — the override file changed, or a newer chinesecalendar installed — reaches
every open request, draft, published version and major decision whose dates were counted through that year,
and a year whose official schedule changed (`changed_years`) reaches every one counted through it. Each case in
its own transaction; one changed meanwhile by staff is left for the next check.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import date, datetime
from typing import Any

from sunshine_kit.errors import IllegalTransition
from sunshine_kit.timestamps import china_date
from sunshine_kit.working_days import WorkingDayCalendar

from disclosure.service.unit_of_work import DisclosureUnitOfWork

log = logging.getLogger(__name__)
# How each kind of case is read for its count; a decision is saved whole, so a comment meanwhile must wait.
_LOADERS: dict[str, Callable[[DisclosureUnitOfWork, str], Awaitable[Any]]] = {
    "requests": lambda uow, case_id: uow.requests.get(case_id),
    "catalogue": lambda uow, case_id: uow.catalogue.get(case_id),
    "decisions": lambda uow, case_id: uow.decisions.get(case_id, for_update=True),
}


class ProvisionalDates:
    def __init__(
        self,
        unit_of_work: Callable[[], DisclosureUnitOfWork],
        calendar: WorkingDayCalendar,
        clock: Callable[[], datetime],
    ) -> None:
        self._unit_of_work = unit_of_work
        self._calendar = calendar
        self._clock = clock

    async def recompute(self, changed_years: frozenset[int] = frozenset()) -> bool:
        """Counts the cases again; True when every one was counted (none was busy)."""
        today = china_date(self._clock())
        async with self._unit_of_work() as uow:
            cases = [
                (repository, case_id)
                for repository in _LOADERS
                for case_id in await getattr(uow, repository).ids_to_recount(changed_years)
            ]
        complete = True
        for repository, case_id in cases:
            try:
                await self._recompute(repository, case_id, today)
            except IllegalTransition:
                log.info("%s %s changed meanwhile; its dates are recomputed at the next check", repository, case_id)
                complete = False
        return complete

    async def _recompute(self, repository: str, case_id: str, today: date) -> None:
        async with self._unit_of_work() as uow:
            case = await _LOADERS[repository](uow, case_id)
            if case is None or not case.recompute(today, self._calendar):
                return
            await getattr(uow, repository).save(case)
            await uow.publish(case.events)
            await uow.commit()
