"""The consolidated report: this stack's requests, documents and figures and those below, counted and checked as
a single unit's, with the divisions that have not entered their figures listed."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

import pytest
from disclosure.domain.annual_report import (
    APPLICANT_TYPES,
    OUTCOME_ROWS,
    CatalogueFacts,
    ReportFigures,
    ReportInconsistent,
    RequestFacts,
    compile_report,
)
from disclosure.domain.applicants import ApplicantType
from disclosure.domain.catalogue_content import RULE_FORCE_LEVELS
from disclosure.domain.consolidated_report import DivisionScope, UnitFacts, consolidate
from hypothesis import given, settings
from hypothesis import strategies as st

YEAR = 2025
COUNTY, TOWNSHIP_A, TOWNSHIP_B = "510104", "510104001", "510104002"
PERSON, FIRM = ApplicantType.NATURAL_PERSON, ApplicantType.COMMERCIAL_ENTERPRISE
RULE, NORMATIVE = RULE_FORCE_LEVELS


def facts(applicant: ApplicantType, received: str, answered: str | None = None, outcome: str | None = None):  # type: ignore[no-untyped-def]
    return RequestFacts(
        applicant, date.fromisoformat(received), date.fromisoformat(answered) if answered else None, outcome
    )


def document(force_level: str, formed: str, repealed: str | None = None) -> CatalogueFacts:
    return CatalogueFacts(force_level, date.fromisoformat(formed), date.fromisoformat(repealed) if repealed else None)


def figures(licensing: int, fees: str, review: tuple[int, ...]) -> ReportFigures:
    return ReportFigures(YEAR, licensing, 1, 2, Decimal(fees), review + (0,) * (15 - len(review)))


def values(report, key: str) -> tuple[int, ...]:  # type: ignore[no-untyped-def]
    return next(row.values for row in report.table3 if row.key == key)


def test_table_3_counts_own_requests_and_those_below_with_the_divisions_counted() -> None:
    own = UnitFacts(requests=[facts(PERSON, "2025-02-01", "2025-02-20", "1")])
    below = {
        TOWNSHIP_B: UnitFacts(requests=[facts(FIRM, "2024-12-30")]),  # carried over into 2025, open at its end
        TOWNSHIP_A: UnitFacts(requests=[facts(PERSON, "2025-03-01", "2025-03-10", "3.4"), facts(FIRM, "2025-04-01")]),
    }
    report = consolidate(YEAR, "示例区", COUNTY, own, below)
    assert values(report, "new") == (2, 1, 0, 0, 0, 0, 3)
    assert values(report, "carried_over") == (0, 1, 0, 0, 0, 0, 1)
    assert values(report, "1") == (1, 0, 0, 0, 0, 0, 1)
    assert values(report, "3.4") == (1, 0, 0, 0, 0, 0, 1)
    assert values(report, "forward") == (0, 2, 0, 0, 0, 0, 2)
    assert [(scope.division, scope.requests) for scope in report.divisions] == [
        (COUNTY, 1),
        (TOWNSHIP_A, 2),
        (TOWNSHIP_B, 1),
    ]


def test_tables_2_and_4_sum_the_documents_and_the_entered_figures() -> None:
    own = UnitFacts(
        catalogue=[document(RULE, "2025-03-01"), document(NORMATIVE, "2020-01-01", "2025-06-30")],
        figures=figures(10, "12.5", (1, 0, 0, 1, 2, 0, 1, 0, 0, 1)),
    )
    below = {
        TOWNSHIP_A: UnitFacts(
            catalogue=[
                document(NORMATIVE, "2025-05-05"),
                document(NORMATIVE, "2026-01-02"),
                document("其他", "2025-01-01"),
            ],
            figures=figures(3, "0.75", (0, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 0, 1)),
        ),
        TOWNSHIP_B: UnitFacts(catalogue=[document(NORMATIVE, "2019-09-09")], figures=figures(0, "0", ())),
    }
    report = consolidate(YEAR, "示例区", COUNTY, own, below)
    assert report.table2[RULE] == {"本年制发件数": 1, "本年废止件数": 0, "现行有效件数": 1}
    assert report.table2[NORMATIVE] == {"本年制发件数": 1, "本年废止件数": 1, "现行有效件数": 2}
    assert report.table2["行政许可"] == {"本年处理决定数量": 13}
    assert report.table2["行政处罚"] == {"本年处理决定数量": 3}
    assert report.table2["行政强制"] == {"本年处理决定数量": 6}
    assert report.table2["行政事业性收费"] == {"本年收费金额（万元）": "13.25"}
    assert report.table4 == ((1, 1, 0, 1, 3), (0, 1, 0, 0, 1), (0, 0, 1, 0, 1))
    assert report.figures_missing == ()


def test_a_division_without_figures_is_listed_as_missing_and_not_summed() -> None:
    own = UnitFacts(figures=figures(4, "1", (1, 0, 0, 0, 1)))
    below = {TOWNSHIP_A: UnitFacts(requests=[facts(PERSON, "2024-03-01", "2024-03-10", "1")]), TOWNSHIP_B: UnitFacts()}
    report = consolidate(YEAR, "示例区", COUNTY, own, below)
    assert report.divisions == (
        DivisionScope(COUNTY, 0, figures_entered=True),
        DivisionScope(TOWNSHIP_A, 0, figures_entered=False),  # answered before the year: nothing counted
        DivisionScope(TOWNSHIP_B, 0, figures_entered=False),
    )
    assert report.figures_missing == (TOWNSHIP_A, TOWNSHIP_B)
    assert report.table2["行政许可"] == {"本年处理决定数量": 4}
    assert report.table4[0] == (1, 0, 0, 0, 1)
    assert consolidate(YEAR, "示例区", COUNTY, UnitFacts(), {}).figures_missing == (COUNTY,)


def test_figures_that_break_an_invariant_stop_the_report() -> None:
    broken = replace(figures(1, "1", ()), review_and_litigation=(1, 0, 0, 0, 2) + (0,) * 10)  # 总计 2 ≠ 1
    with pytest.raises(ReportInconsistent, match=f"figures of {TOWNSHIP_A}.*行政复议"):
        consolidate(YEAR, "示例区", COUNTY, UnitFacts(), {TOWNSHIP_A: UnitFacts(figures=broken)})
    other_year = replace(figures(1, "1", ()), year=YEAR - 1)
    with pytest.raises(ReportInconsistent, match="year 2024"):
        consolidate(YEAR, "示例区", COUNTY, UnitFacts(figures=other_year), {})


@st.composite
def request_facts(draw: st.DrawFn) -> RequestFacts:
    received = draw(st.dates(date(YEAR - 2, 1, 1), date(YEAR + 1, 12, 31)))
    answered = draw(st.none() | st.integers(0, 400).map(lambda days: received + timedelta(days=days)))
    outcome = draw(st.sampled_from(OUTCOME_ROWS)) if answered else None
    return RequestFacts(draw(st.sampled_from(APPLICANT_TYPES)), received, answered, outcome)


@st.composite
def catalogue_facts(draw: st.DrawFn) -> CatalogueFacts:
    formed = draw(st.dates(date(YEAR - 3, 1, 1), date(YEAR, 12, 31)))
    repealed = draw(st.none() | st.integers(0, 800).map(lambda days: formed + timedelta(days=days)))
    return CatalogueFacts(draw(st.sampled_from((*RULE_FORCE_LEVELS, "其他"))), formed, repealed)


@st.composite
def entered_figures(draw: st.DrawFn) -> ReportFigures:
    groups = [draw(st.lists(st.integers(0, 50), min_size=4, max_size=4)) for _ in range(3)]
    return ReportFigures(
        YEAR,
        draw(st.integers(0, 10_000)),
        draw(st.integers(0, 10_000)),
        draw(st.integers(0, 10_000)),
        draw(st.decimals(0, 100_000, places=2)),
        tuple(n for group in groups for n in (*group, sum(group))),
    )


unit_facts = st.builds(
    UnitFacts,
    st.lists(request_facts(), max_size=40),
    st.lists(catalogue_facts(), max_size=20),
    st.none() | entered_figures(),
)


@settings(max_examples=150, deadline=None)
@given(unit_facts, st.dictionaries(st.sampled_from([TOWNSHIP_A, TOWNSHIP_B]), unit_facts))
def test_every_row_is_the_sum_of_the_units_rows(own: UnitFacts, below: dict[str, UnitFacts]) -> None:
    report = consolidate(YEAR, "示例区", COUNTY, own, below)
    units = [
        compile_report(YEAR, "", d, u.requests, u.catalogue, u.figures or ReportFigures(YEAR))
        for d, u in {COUNTY: own, **below}.items()
    ]
    for index, row in enumerate(report.table3):
        assert row.values == tuple(map(sum, zip(*(unit.table3[index].values for unit in units), strict=True)))
    for name, cells in report.table2.items():
        for column, value in cells.items():
            parts = [unit.table2[name][column] for unit in units]
            assert value == (str(sum(map(Decimal, parts))) if isinstance(value, str) else sum(parts))  # type: ignore[arg-type]
    for group, row in enumerate(report.table4):
        assert row == tuple(map(sum, zip(*(unit.table4[group] for unit in units), strict=True)))
    assert (
        sum(scope.requests for scope in report.divisions)
        == values(report, "new")[6] + values(report, "carried_over")[6]
    )
    assert report.figures_missing == tuple(
        d for d, u in {COUNTY: own, **dict(sorted(below.items()))}.items() if not u.figures
    )
