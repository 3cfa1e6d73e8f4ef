"""The annual report: table 三 counted from requests (carry-over included), its invariants, tables 二 and 四."""

from __future__ import annotations

import dataclasses
import re
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
    Row,
    check_table3,
    compile_report,
    compute_table3,
)
from disclosure.domain.applicants import ApplicantType
from hypothesis import given, settings
from hypothesis import strategies as st
from sunshine_kit.errors import ValidationFailed

YEAR = 2025
PERSON, FIRM, LAWYER = (
    ApplicantType.NATURAL_PERSON,
    ApplicantType.COMMERCIAL_ENTERPRISE,
    ApplicantType.LEGAL_SERVICE_INSTITUTION,
)


def facts(applicant: ApplicantType, received: str, answered: str | None = None, outcome: str | None = None):  # type: ignore[no-untyped-def]
    answered_on = date.fromisoformat(answered) if answered else None
    return RequestFacts(applicant, date.fromisoformat(received), answered_on, outcome if answered else None)


SAMPLE = [
    facts(PERSON, "2024-12-20", "2025-01-10", "1"),  # carried over, answered this year
    facts(PERSON, "2024-12-28"),  # carried over, still open: carried forward again
    facts(PERSON, "2024-11-01", "2024-12-01", "1"),  # answered last year: not in this report
    facts(FIRM, "2025-03-01", "2025-03-20", "3.4"),
    facts(FIRM, "2025-12-30"),  # new, carried forward
    facts(LAWYER, "2025-06-01", "2026-01-05", "2"),  # new, answered next year: carried forward
    facts(PERSON, "2025-05-05", "2025-05-06", "5.1"),
    facts(PERSON, "2026-01-02", "2026-01-03", "1"),  # next year's
]


def row(rows: tuple[Row, ...], key: str) -> tuple[int, ...]:
    return next(r.values for r in rows if r.key == key)


def test_table_three_counts_new_carried_answered_and_forward() -> None:
    rows = compute_table3(SAMPLE, YEAR)
    # columns: 自然人, 商业企业, 科研机构, 社会公益组织, 法律服务机构, 其他, 总计
    assert row(rows, "new") == (1, 2, 0, 0, 1, 0, 4)
    assert row(rows, "carried_over") == (2, 0, 0, 0, 0, 0, 2)
    assert row(rows, "1") == (1, 0, 0, 0, 0, 0, 1)
    assert row(rows, "3.4") == (0, 1, 0, 0, 0, 0, 1)
    assert row(rows, "5.1") == (1, 0, 0, 0, 0, 0, 1)
    assert row(rows, "total") == (2, 1, 0, 0, 0, 0, 3)
    assert row(rows, "forward") == (1, 1, 0, 0, 1, 0, 3)
    check_table3(rows)


def test_rows_are_in_the_official_order() -> None:
    keys = [r.key for r in compute_table3([], YEAR)]
    assert keys == ["new", "carried_over", *OUTCOME_ROWS, "total", "forward"]
    assert len(keys) == 25


def test_this_years_forward_is_next_years_carry_over() -> None:
    assert row(compute_table3(SAMPLE, YEAR), "forward") == row(compute_table3(SAMPLE, YEAR + 1), "carried_over")


@pytest.mark.parametrize(
    ("key", "column", "message"),
    [("forward", 0, "一 + 二"), ("3.2", 1, "（七）总计"), ("new", 6, "总计 ≠ the six columns")],
)
def test_a_broken_invariant_is_refused(key: str, column: int, message: str) -> None:
    rows = compute_table3(SAMPLE, YEAR)
    broken = tuple(
        dataclasses.replace(r, values=tuple(v + (1 if i == column else 0) for i, v in enumerate(r.values)))
        if r.key == key
        else r
        for r in rows
    )
    with pytest.raises(ReportInconsistent, match=re.escape(message)):
        check_table3(broken)


# --- property: the invariants hold for any year of requests --------------------------------------------------


@st.composite
def request_facts(draw: st.DrawFn) -> RequestFacts:
    received = draw(st.dates(date(YEAR - 2, 1, 1), date(YEAR + 1, 12, 31)))
    answered = draw(st.none() | st.integers(0, 400).map(lambda days: received + timedelta(days=days)))
    outcome = draw(st.sampled_from(OUTCOME_ROWS)) if answered else None
    return RequestFacts(draw(st.sampled_from(APPLICANT_TYPES)), received, answered, outcome)


@settings(max_examples=300, deadline=None)
@given(st.lists(request_facts(), max_size=200), st.integers(YEAR - 1, YEAR + 1))
def test_table_three_invariants_hold_for_random_years(requests: list[RequestFacts], year: int) -> None:
    rows = compute_table3(requests, year)
    check_table3(rows)
    start, end = date(year, 1, 1), date(year, 12, 31)
    assert row(rows, "new")[6] == sum(1 for r in requests if start <= r.received_on <= end)
    open_at_end = [r for r in requests if r.received_on <= end and (r.answered_on is None or r.answered_on > end)]
    assert row(rows, "forward")[6] == len(open_at_end)
    assert row(rows, "forward") == row(compute_table3(requests, year + 1), "carried_over")


# --- tables 二 and 四 ------------------------------------------------------------------------------------------


def _figures(**changes: object) -> ReportFigures:
    return dataclasses.replace(ReportFigures(YEAR), **changes)  # type: ignore[arg-type]


def test_table_two_counts_rules_and_normative_documents_from_the_catalogue() -> None:
    catalogue = [
        CatalogueFacts("规章", date(2025, 3, 1), None),
        CatalogueFacts("规章", date(2023, 3, 1), date(2025, 6, 1)),
        CatalogueFacts("行政规范性文件", date(2024, 3, 1), None),
        CatalogueFacts("行政规范性文件", date(2025, 4, 1), None),
        CatalogueFacts("行政规范性文件", date(2026, 1, 5), None),
    ]
    figures = _figures(licensing_decisions=120, fees_ten_thousand_yuan=Decimal("35.6"))
    report = compile_report(YEAR, "示例区", "510104", [], catalogue, figures)
    assert report.table2["规章"] == {"本年制发件数": 1, "本年废止件数": 1, "现行有效件数": 1}
    assert report.table2["行政规范性文件"] == {"本年制发件数": 1, "本年废止件数": 0, "现行有效件数": 2}
    assert report.table2["行政许可"] == {"本年处理决定数量": 120}
    assert report.table2["行政事业性收费"] == {"本年收费金额（万元）": "35.6"}


def test_table_four_totals_must_add_up() -> None:
    good = (3, 1, 0, 1, 5) + (1, 0, 0, 0, 1) + (0, 0, 0, 0, 0)
    report = compile_report(YEAR, "示例区", "510104", [], [], _figures(review_and_litigation=good))
    assert report.table4 == ((3, 1, 0, 1, 5), (1, 0, 0, 0, 1), (0, 0, 0, 0, 0))
    with pytest.raises(ValidationFailed, match="行政复议"):
        _figures(review_and_litigation=(3, 1, 0, 1, 6) + (0,) * 10).validated()
    with pytest.raises(ValidationFailed, match="15 numbers"):
        _figures(review_and_litigation=(0,) * 14).validated()
