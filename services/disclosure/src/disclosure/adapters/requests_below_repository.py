"""The projection of the requests below this stack, keyed by request id (UUIDs are unique across stacks)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from sqlalchemy import insert, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from disclosure.adapters.tables import requests_below
from disclosure.domain.annual_report import RequestFacts
from disclosure.domain.applicants import ApplicantType

_table = requests_below


class RequestsBelowRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def record_received(self, request_id: str, division: str, facts: RequestFacts) -> None:
        """Adds the request unless it is known (its answer may have come first: it carries the receipt too)."""
        known = await self._session.execute(select(_table.c.request_id).where(_table.c.request_id == request_id))
        if known.first() is None:
            await self._session.execute(insert(_table).values(_row(request_id, division, facts)))

    async def record_answered(self, request_id: str, division: str, facts: RequestFacts) -> None:
        row = _row(request_id, division, facts)
        result = await self._session.execute(update(_table).where(_table.c.request_id == request_id).values(row))
        if result.rowcount == 0:
            await self._session.execute(insert(_table).values(row))

    async def report_facts(self, year: int) -> dict[str, list[RequestFacts]]:
        """Per division below, its requests received by the end of `year` and not answered before it began."""
        columns = (_table.c.division, _table.c.applicant_type, _table.c.received_on, _table.c.answered_on)
        query = select(*columns, _table.c.outcome).where(
            _table.c.received_on <= date(year, 12, 31),
            or_(_table.c.answered_on.is_(None), _table.c.answered_on >= date(year, 1, 1)),
        )
        by_division: dict[str, list[RequestFacts]] = defaultdict(list)
        for division, applicant_type, received_on, answered_on, outcome in await self._session.execute(query):
            by_division[division].append(RequestFacts(ApplicantType(applicant_type), received_on, answered_on, outcome))
        return dict(by_division)

    async def divisions(self) -> set[str]:
        return set((await self._session.execute(select(_table.c.division).distinct())).scalars())


def _row(request_id: str, division: str, facts: RequestFacts) -> dict[str, object]:
    return {
        "request_id": request_id,
        "division": division,
        "applicant_type": str(facts.applicant_type),
        "received_on": facts.received_on,
        "answered_on": facts.answered_on,
        "outcome": facts.outcome,
    }
