"""The consolidated table 三: this stack's requests and those below, counted and checked as a single unit's."""

from __future__ import annotations

from datetime import date, timedelta

from disclosure.domain.annual_report import APPLICANT_TYPES, OUTCOME_ROWS, RequestFacts, compute_table3
from disclosure.domain.applicants import ApplicantType
from disclosure.domain.consolidated_report import consolidate
from hypothesis import given, settings
from hypothesis import strategies as st

YEAR = 2025
COUNTY, TOWNSHIP_A, TOWNSHIP_B = "510104", "510104001", "510104002"
PERSON, FIRM = ApplicantType.NATURAL_PERSON, ApplicantType.COMMERCIAL_ENTERPRISE


def facts(applicant: ApplicantType, received: str, answered: str | None = None, outcome: str | None = None):  # type: ignore[no-untyped-def]
    return RequestFacts(
        applicant, date.fromisoformat(received), date.fromisoformat(answered) if answered else None, outcome
    )


def values(report, key: str) -> tuple[int, ...]:  # type: ignore[no-untyped-def]
    return next(row.values for row in report.table3 if row.key == key)


def test_the_table_counts_own_requests_and_those_below_with_the_divisions_counted() -> None:
    own = [facts(PERSON, "2025-02-01", "2025-02-20", "1")]
    below = {
        TOWNSHIP_B: [facts(FIRM, "2024-12-30")],  # carried over into 2025, still open at its end
        TOWNSHIP_A: [facts(PERSON, "2025-03-01", "2025-03-10", "3.4"), facts(FIRM, "2025-04-01")],
    }
    report = consolidate(YEAR, "示例区", COUNTY, own, below)
    assert values(report, "new") == (2, 1, 0, 0, 0, 0, 3)
    assert values(report, "carried_over") == (0, 1, 0, 0, 0, 0, 1)
    assert values(report, "1") == (1, 0, 0, 0, 0, 0, 1)
    assert values(report, "3.4") == (1, 0, 0, 0, 0, 0, 1)
    assert values(report, "forward") == (0, 2, 0, 0, 0, 0, 2)
    assert report.divisions == ((COUNTY, 1), (TOWNSHIP_A, 2), (TOWNSHIP_B, 1))


def test_this_stack_is_always_listed_and_a_division_with_nothing_this_year_is_not() -> None:
    below = {TOWNSHIP_A: [facts(PERSON, "2024-03-01", "2024-03-10", "1")]}  # answered before the year
    report = consolidate(YEAR, "示例区", COUNTY, [], below)
    assert report.divisions == ((COUNTY, 0),)
    assert values(report, "total") == (0,) * 7


@st.composite
def request_facts(draw: st.DrawFn) -> RequestFacts:
    received = draw(st.dates(date(YEAR - 2, 1, 1), date(YEAR + 1, 12, 31)))
    answered = draw(st.none() | st.integers(0, 400).map(lambda days: received + timedelta(days=days)))
    outcome = draw(st.sampled_from(OUTCOME_ROWS)) if answered else None
    return RequestFacts(draw(st.sampled_from(APPLICANT_TYPES)), received, answered, outcome)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(request_facts(), max_size=60),
    st.dictionaries(st.sampled_from([TOWNSHIP_A, TOWNSHIP_B]), st.lists(request_facts(), max_size=60)),
)
def test_every_row_is_the_sum_of_the_units_rows(own: list[RequestFacts], below: dict[str, list[RequestFacts]]) -> None:
    report = consolidate(YEAR, "示例区", COUNTY, own, below)
    units = [compute_table3(unit, YEAR) for unit in (own, *below.values())]
    for index, row in enumerate(report.table3):
        assert row.values == tuple(map(sum, zip(*(unit[index].values for unit in units), strict=True)))
    assert sum(count for _, count in report.divisions) == values(report, "new")[6] + values(report, "carried_over")[6]
