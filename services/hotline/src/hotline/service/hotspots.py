"""Hotspots and issue lists (热点, 问题清单): read-only queries over this stack's tickets, for staff.

Hotspots: hotline operators, leaders, evaluators and stack operators of this stack, and readers above it as
`require_read` allows. An issue list: the same, and a handling unit for its own unit.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime

from sunshine_kit.auth import Principal, Role, require_read
from sunshine_kit.errors import PermissionDenied
from sunshine_kit.timestamps import china_date

from hotline.domain.dispatch import DispatchCatalogue
from hotline.domain.hotspots import Hotspots, Period, SpikeRule, days_needed, hotspots
from hotline.domain.issue_list import IssueList, by_size
from hotline.domain.vocabulary import Category
from hotline.service.access import unit_of
from hotline.service.unit_of_work import HotlineUnitOfWork

STAFF = (Role.HOTLINE_OPERATOR, Role.LEADER, Role.EVALUATOR, Role.STACK_OPERATOR)
HOTSPOT_DAYS = 7
ISSUE_LIST_DAYS = 30


@dataclass(frozen=True)
class HotspotPolicy:
    """Configured per stack (SUNSHINE_HOTLINE_HOTSPOT_*, SUNSHINE_HOTLINE_ISSUE_LIST_SUMMARIES)."""

    spikes: SpikeRule = SpikeRule()
    peak_hours: int = 3
    summaries: int = 3


@dataclass(frozen=True)
class HotspotQuery:
    first: date | None = None
    last: date | None = None
    categories: tuple[Category, ...] = ()


class HotspotService:
    def __init__(
        self,
        unit_of_work: Callable[[], HotlineUnitOfWork],
        division: str,
        catalogue: DispatchCatalogue,
        policy: HotspotPolicy,
        clock: Callable[[], datetime],
    ) -> None:
        self._unit_of_work = unit_of_work
        self._division = division
        self._catalogue = catalogue
        self.policy = policy
        self._clock = clock

    async def hotspots(self, principal: Principal, query: HotspotQuery) -> Hotspots:
        require_read(principal, self._division, *STAFF)
        period = Period.asked(query.first, query.last, china_date(self._clock()), HOTSPOT_DAYS)
        rule = self.policy.spikes
        async with self._unit_of_work() as uow:
            buckets = await uow.statistics.buckets(days_needed(period, rule), query.categories)
        return hotspots(buckets, period, rule, self.policy.peak_hours)

    async def issue_list(self, principal: Principal, unit: str, first: date | None, last: date | None) -> IssueList:
        self._check_issue_list_reader(principal, unit)
        name = self._catalogue.unit(unit).name
        now = self._clock()
        period = Period.asked(first, last, china_date(now), ISSUE_LIST_DAYS)
        async with self._unit_of_work() as uow:
            topics = await uow.statistics.unit_topics(unit, period, now)
            summaries = await uow.statistics.summaries(unit, period, self.policy.summaries)
        shown = [replace(t, summaries=tuple(summaries.get(t.topic, ()))) for t in topics]
        return IssueList(unit, name, period, by_size(shown))

    def _check_issue_list_reader(self, principal: Principal, unit: str) -> None:
        """Staff who read this stack; a handling unit of this stack for its own list."""
        granted = require_read(principal, self._division, Role.HANDLING_UNIT, *STAFF)
        if not (granted & set(STAFF) or unit_of(principal) == unit):
            raise PermissionDenied(f"{principal.subject} may read only its own unit's issue list, not {unit}'s")
