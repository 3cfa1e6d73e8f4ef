"""The consolidated table 三: a county or city counts its own requests and those of every stack below it.

The requests below come from the roll-up (upward request events: applicant column, dates, outcome code), so
the table is counted by the same `compute_table3` as a single unit's and checked by the same invariants.
Tables 二 (licensing, penalties, enforcement, fees) and 四 are figures each unit enters itself and no event
carries them, so they are not consolidated.
"""

from __future__ import annotations

from dataclasses import dataclass

from disclosure.domain.annual_report import RequestFacts, Row, check_table3, compute_table3


@dataclass(frozen=True)
class ConsolidatedReport:
    year: int
    unit: str
    division: str
    # Every division whose requests are counted, this stack's first, with how many of its requests count.
    divisions: tuple[tuple[str, int], ...]
    table3: tuple[Row, ...]


def consolidate(
    year: int, unit: str, division: str, own: list[RequestFacts], below: dict[str, list[RequestFacts]]
) -> ConsolidatedReport:
    by_division = {division: own} | dict(sorted(below.items()))
    table3 = compute_table3([f for facts in by_division.values() for f in facts], year)
    check_table3(table3)
    counted = tuple(
        (d, n) for d, facts in by_division.items() if (n := sum(f.counts_in(year) for f in facts)) or d == division
    )
    return ConsolidatedReport(year, unit, division, counted, table3)
