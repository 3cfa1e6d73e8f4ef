"""The consolidated report as a JSON document, an XLSX workbook and a printable HTML page (in Chinese), drawn
from one `consolidated_document` dictionary, with tables 二, 三 and 四 laid out as in the single-unit report, and
the scope: every division consolidated, how many of its requests count, and whether it has entered its figures."""

from __future__ import annotations

import html
import io
import json
from typing import Any

from openpyxl import Workbook

from disclosure.domain.consolidated_report import ConsolidatedReport
from disclosure.entrypoints.report_documents import (
    html_page,
    table2_document,
    table3_document,
    table4_document,
    table_sheets,
    tables_html,
)

DIVISIONS_TITLE = "汇总范围（本级及下级，截至汇总数据已同步之时）"
DIVISION_COLUMNS = ("行政区划代码", "计入申请数", "表二、表四填报数据")
ENTERED, MISSING = "已填报", "未填报（未计入）"


def consolidated_document(report: ConsolidatedReport) -> dict[str, Any]:
    return {
        "title": f"{report.unit}及下级{report.year}年政府信息公开工作年度报告（汇总）",
        "year": report.year,
        "unit": report.unit,
        "division": report.division,
        "divisions": [
            {"division": scope.division, "requests": scope.requests, "figures_entered": scope.figures_entered}
            for scope in report.divisions
        ],
        "figures_missing": list(report.figures_missing),
        "table2": table2_document(report.table2),
        "table3": table3_document(report.table3),
        "table4": table4_document(report.table4),
    }


def as_json(report: ConsolidatedReport) -> bytes:
    return json.dumps(consolidated_document(report), ensure_ascii=False, indent=2).encode()


def as_xlsx(report: ConsolidatedReport) -> bytes:
    document = consolidated_document(report)
    book = Workbook()
    book.active.append([document["title"]])
    table_sheets(book, document)
    scope = book.create_sheet("汇总范围")
    scope.append([DIVISIONS_TITLE])
    scope.append(list(DIVISION_COLUMNS))
    for row in _scope_rows(document):
        scope.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def as_html(report: ConsolidatedReport) -> bytes:
    document = consolidated_document(report)
    head = "".join(f"<th>{html.escape(c)}</th>" for c in DIVISION_COLUMNS)
    rows = "".join(
        f'<tr><td>{html.escape(division)}</td><td class="n">{requests}</td><td>{html.escape(figures)}</td></tr>'
        for division, requests, figures in _scope_rows(document)
    )
    scope = f"<h2>{html.escape(DIVISIONS_TITLE)}</h2><table><tr>{head}</tr>{rows}</table>"
    return html_page(document["title"], [*tables_html(document), scope])


def _scope_rows(document: dict[str, Any]) -> list[tuple[str, int, str]]:
    return [(d["division"], d["requests"], ENTERED if d["figures_entered"] else MISSING) for d in document["divisions"]]
