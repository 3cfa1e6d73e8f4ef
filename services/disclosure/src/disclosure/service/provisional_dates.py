"""Provisional dates (预计) counted again on the calendar as it is now (docs/working-days.md).

Runs after every check of the calendar (`ServiceRuntime.watch_calendar`: at start and every few minutes), so an
official arrangement that arrived — the override file changed, or a newer chinesecalendar installed — reaches
every open request and draft whose dates were counted through that year. Each case in its own transaction; one
changed meanwhile by staff is left for the next check.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date, datetime

from sunshine_kit.errors import IllegalTransition
from sunshine_kit.timestamps import china_date
from sunshine_kit.working_days import WorkingDayCalendar

from disclosure.service.unit_of_work import DisclosureUnitOfWork

log = logging.getLogger(__name__)


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

    async def recompute(self) -> int:
        """How many requests and drafts had a date moved or made official."""
        today = china_date(self._clock())
        async with self._unit_of_work() as uow:
            cases = [("requests", i) for i in await uow.requests.provisional_ids()]
            cases += [("catalogue", i) for i in await uow.catalogue.provisional_draft_ids()]
        changed = 0
        for repository, case_id in cases:
            try:
                changed += await self._recompute(repository, case_id, today)
            except IllegalTransition:
                log.info("%s %s changed meanwhile; its dates are recomputed at the next check", repository, case_id)
        return changed

    async def _recompute(self, repository: str, case_id: str, today: date) -> int:
        async with self._unit_of_work() as uow:
            cases = getattr(uow, repository)
            case = await cases.get(case_id)
            if case is None or not case.recompute(today, self._calendar):
                return 0
            await cases.save(case)
            await uow.publish(case.events)
            await uow.commit()
            return 1
