"""The consolidated report: a county or city reports tables 二, 三 and 四 for itself and every stack below it.

Each division contributes what the roll-up has brought of it (or, for this stack, its own tables): its requests
(table 三), its rules and normative documents (table 二's 规章 / 行政规范性文件 rows) and the figures it entered
itself for the year (table 二's licensing, penalty, enforcement and fees; table 四). Requests and documents are
counted by the single-unit `compute_table3` and `compute_table2`, so the rules are the same; the entered figures
are summed. A division that has not entered figures for the year is listed as missing, never counted as zero
silently. Every invariant (table 三's, and each of table 四's 总计 = its four parts, per division and summed) is
checked before a report is returned.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from disclosure.domain.annual_report import (
    CatalogueFacts,
    ReportFigures,
    ReportInconsistent,
    RequestFacts,
    Row,
    check_table3,
    compute_table2,
    compute_table3,
)


@dataclass(frozen=True)
class UnitFacts:
    """What one division contributes; `figures` is None while it has entered none for the year."""

    requests: list[RequestFacts] = field(default_factory=list)
    catalogue: list[CatalogueFacts] = field(default_factory=list)
    figures: ReportFigures | None = None


@dataclass(frozen=True)
class DivisionScope:
    division: str
    requests: int  # how many of its requests table 三 counts
    figures_entered: bool


@dataclass(frozen=True)
class ConsolidatedReport:
    year: int
    unit: str
    division: str
    # Every division consolidated, this stack's first, then those below in code order.
    divisions: tuple[DivisionScope, ...]
    table2: dict[str, dict[str, int | str]]
    table3: tuple[Row, ...]
    table4: tuple[tuple[int, ...], ...]

    @property
    def figures_missing(self) -> tuple[str, ...]:
        """The divisions whose entered figures (table 二's decisions and fees, table 四) are not in the sums."""
        return tuple(scope.division for scope in self.divisions if not scope.figures_entered)


def consolidate(year: int, unit: str, division: str, own: UnitFacts, below: dict[str, UnitFacts]) -> ConsolidatedReport:
    by_division = {division: own} | dict(sorted(below.items()))
    table3 = compute_table3([f for facts in by_division.values() for f in facts.requests], year)
    check_table3(table3)
    entered = {d: facts.figures for d, facts in by_division.items() if facts.figures is not None}
    for d, figures in entered.items():
        _check_figures(f"figures of {d}", figures, year)
    total = sum_figures(year, entered.values())
    _check_figures("summed figures", total, year)
    catalogue = [f for facts in by_division.values() for f in facts.catalogue]
    divisions = tuple(
        DivisionScope(d, sum(f.counts_in(year) for f in facts.requests), d in entered)
        for d, facts in by_division.items()
    )
    return ConsolidatedReport(
        year, unit, division, divisions, compute_table2(catalogue, total, year), table3, total.table4
    )


def sum_figures(year: int, units: Iterable[ReportFigures]) -> ReportFigures:
    figures = list(units)
    return ReportFigures(
        year,
        sum(f.licensing_decisions for f in figures),
        sum(f.penalty_decisions for f in figures),
        sum(f.enforcement_decisions for f in figures),
        sum((f.fees_ten_thousand_yuan for f in figures), Decimal(0)),
        tuple(map(sum, zip(*(f.review_and_litigation for f in figures), strict=True))) or (0,) * 15,
    )


def _check_figures(label: str, figures: ReportFigures, year: int) -> None:
    problems = [f"{v.field}: {v.description}" for v in figures.violations()]
    if figures.year != year:
        problems.append(f"year {figures.year} ≠ {year}")
    if problems:
        raise ReportInconsistent(f"{label} are inconsistent: " + "; ".join(problems))
