"""The annual report (政府信息公开工作年度报告, format of 国办公开办函〔2021〕30号): tables 二, 三 and 四.

Table 三 counts requests by applicant column. For year Y a request is counted when it was received on or
before Y-12-31 and not answered before Y-01-01:
- 一 本年新收: received in Y;  二 上年结转: received before Y;
- the outcome rows: answered in Y, by outcome;  四 结转下年度继续办理: still unanswered on Y-12-31.
So 一 + 二 = （七） + 四 holds by construction; `check_table3` proves it (and the two sum rules) before any
report leaves the service.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from sunshine.events.v1 import disclosure_pb2 as events
from sunshine_kit.errors import FieldViolation, SunshineError, ValidationFailed
from sunshine_kit.timestamps import to_timestamp

from disclosure.domain.applicants import APPLICANT_COLUMNS, ApplicantType
from disclosure.domain.catalogue_content import RULE_FORCE_LEVELS
from disclosure.domain.outcomes import OUTCOMES

APPLICANT_TYPES = tuple(ApplicantType)
COLUMN_LABELS = (*APPLICANT_COLUMNS.values(), "总计")
OUTCOME_ROWS = tuple(outcome.code for outcome in OUTCOMES)
REVIEW_COLUMNS = ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")
REVIEW_GROUPS = ("行政复议", "行政诉讼（未经复议直接起诉）", "行政诉讼（复议后起诉）")


class ReportInconsistent(SunshineError):
    """A table breaks an invariant of the official format; nothing is returned."""


@dataclass(frozen=True)
class RequestFacts:
    applicant_type: ApplicantType
    received_on: date
    answered_on: date | None
    outcome: str | None

    def counts_in(self, year: int) -> bool:
        """Received by the end of `year` and not answered before it began."""
        return self.received_on <= date(year, 12, 31) and (self.answered_on is None or self.answered_on.year >= year)


@dataclass(frozen=True)
class CatalogueFacts:
    force_level: str
    formed_on: date
    repealed_on: date | None


@dataclass(frozen=True)
class ReportFigures:
    """Figures the unit enters itself: licensing, penalty, enforcement and fees (table 二), review and
    litigation (table 四, 3 groups × 5 columns)."""

    year: int
    licensing_decisions: int = 0
    penalty_decisions: int = 0
    enforcement_decisions: int = 0
    fees_ten_thousand_yuan: Decimal = Decimal(0)
    review_and_litigation: tuple[int, ...] = (0,) * 15

    def violations(self) -> list[FieldViolation]:
        found = [
            FieldViolation(name, "must not be negative")
            for name in ("licensing_decisions", "penalty_decisions", "enforcement_decisions", "fees_ten_thousand_yuan")
            if getattr(self, name) < 0
        ]
        numbers = self.review_and_litigation
        if len(numbers) != 15 or any(n < 0 for n in numbers):
            return [*found, FieldViolation("review_and_litigation", "15 numbers, none negative")]
        for group, name in enumerate(REVIEW_GROUPS):
            row = numbers[group * 5 : group * 5 + 5]
            if sum(row[:4]) != row[4]:
                found.append(FieldViolation("review_and_litigation", f"{name}: 总计 {row[4]} ≠ {sum(row[:4])}"))
        return found

    def validated(self) -> ReportFigures:
        violations = self.violations()
        if violations:
            raise ValidationFailed(*violations)
        return self

    @property
    def table4(self) -> tuple[tuple[int, ...], ...]:
        """The 15 numbers as the three rows of table 四."""
        return tuple(self.review_and_litigation[i * 5 : i * 5 + 5] for i in range(len(REVIEW_GROUPS)))

    def recorded(self, at: datetime) -> events.ReportFiguresRecorded:
        """The event telling the stacks above this unit's figures for the year (aggregate numbers only)."""
        return events.ReportFiguresRecorded(
            year=self.year,
            licensing_decisions=self.licensing_decisions,
            penalty_decisions=self.penalty_decisions,
            enforcement_decisions=self.enforcement_decisions,
            fees_ten_thousand_yuan=str(self.fees_ten_thousand_yuan),
            review_and_litigation=list(self.review_and_litigation),
            recorded_at=to_timestamp(at),
        )


@dataclass(frozen=True)
class Row:
    key: str
    values: tuple[int, ...]  # six applicant columns, then 总计


@dataclass(frozen=True)
class AnnualReport:
    year: int
    unit: str
    division: str
    table2: dict[str, dict[str, int | str]]
    table3: tuple[Row, ...]
    table4: tuple[tuple[int, ...], ...]

    def table3_row(self, key: str) -> Row:
        return next(row for row in self.table3 if row.key == key)


def compile_report(
    year: int,
    unit: str,
    division: str,
    requests: list[RequestFacts],
    catalogue: list[CatalogueFacts],
    figures: ReportFigures,
) -> AnnualReport:
    table3 = compute_table3(requests, year)
    check_table3(table3)
    figures.validated()
    return AnnualReport(year, unit, division, compute_table2(catalogue, figures, year), table3, figures.table4)


def compute_table3(requests: list[RequestFacts], year: int) -> tuple[Row, ...]:
    start, end = date(year, 1, 1), date(year, 12, 31)
    counts: dict[str, Counter[ApplicantType]] = {key: Counter() for key in ("new", "carried_over", "forward")}
    by_outcome: dict[str, Counter[ApplicantType]] = {code: Counter() for code in OUTCOME_ROWS}
    for facts in requests:
        if not facts.counts_in(year):
            continue
        counts["new" if facts.received_on >= start else "carried_over"][facts.applicant_type] += 1
        if facts.answered_on is not None and facts.answered_on <= end and facts.outcome is not None:
            by_outcome[facts.outcome][facts.applicant_type] += 1
        else:
            counts["forward"][facts.applicant_type] += 1
    total: Counter[ApplicantType] = sum(by_outcome.values(), Counter())
    keyed = [
        ("new", counts["new"]),
        ("carried_over", counts["carried_over"]),
        *by_outcome.items(),
        ("total", total),
        ("forward", counts["forward"]),
    ]
    return tuple(_row(key, counter) for key, counter in keyed)


def _row(key: str, counter: Counter[ApplicantType]) -> Row:
    values = tuple(counter[t] for t in APPLICANT_TYPES)
    return Row(key, (*values, sum(values)))


def check_table3(rows: tuple[Row, ...]) -> None:
    """Per column: 一 + 二 = （七） + 四; （七） = the sum of the outcome rows; 总计 = the six columns."""
    by_key = {row.key: row.values for row in rows}
    problems = [f"{key}: 总计 ≠ the six columns" for key, values in by_key.items() if sum(values[:6]) != values[6]]
    for column, label in enumerate(COLUMN_LABELS):
        outcomes_sum = sum(by_key[code][column] for code in OUTCOME_ROWS)
        if outcomes_sum != by_key["total"][column]:
            problems.append(f"{label}: （七）总计 {by_key['total'][column]} ≠ the outcome rows {outcomes_sum}")
        left = by_key["new"][column] + by_key["carried_over"][column]
        right = by_key["total"][column] + by_key["forward"][column]
        if left != right:
            problems.append(f"{label}: 一 + 二 = {left} ≠ （七） + 四 = {right}")
    if problems:
        raise ReportInconsistent("table 三 is inconsistent: " + "; ".join(problems))


def compute_table2(
    catalogue: list[CatalogueFacts], figures: ReportFigures, year: int
) -> dict[str, dict[str, int | str]]:
    end = date(year, 12, 31)
    table: dict[str, dict[str, int | str]] = {}
    for level in RULE_FORCE_LEVELS:
        entries = [e for e in catalogue if e.force_level == level]
        table[level] = {
            "本年制发件数": sum(1 for e in entries if e.formed_on.year == year),
            "本年废止件数": sum(1 for e in entries if e.repealed_on is not None and e.repealed_on.year == year),
            "现行有效件数": sum(
                1 for e in entries if e.formed_on <= end and (e.repealed_on is None or e.repealed_on > end)
            ),
        }
    table["行政许可"] = {"本年处理决定数量": figures.licensing_decisions}
    table["行政处罚"] = {"本年处理决定数量": figures.penalty_decisions}
    table["行政强制"] = {"本年处理决定数量": figures.enforcement_decisions}
    table["行政事业性收费"] = {"本年收费金额（万元）": str(figures.fees_ten_thousand_yuan)}
    return table
