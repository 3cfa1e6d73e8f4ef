"""The consolidated table 三 as a JSON document, an XLSX workbook and a printable HTML page (in Chinese), drawn
from one `consolidated_document` dictionary, with the table itself laid out as in the single-unit report."""

from __future__ import annotations

import html
import io
import json
from typing import Any

from openpyxl import Workbook

from disclosure.domain.consolidated_report import ConsolidatedReport
from disclosure.entrypoints.report_documents import html_page, table3_document, table3_html, table3_sheet

DIVISIONS_TITLE = "汇总范围（本级及下级，截至汇总数据已同步之时）"
DIVISION_COLUMNS = ("行政区划代码", "计入申请数")


def consolidated_document(report: ConsolidatedReport) -> dict[str, Any]:
    return {
        "title": f"{report.unit}及下级{report.year}年政府信息公开工作年度报告（汇总）",
        "year": report.year,
        "unit": report.unit,
        "division": report.division,
        "divisions": [{"division": division, "requests": count} for division, count in report.divisions],
        "table3": table3_document(report.table3),
    }


def as_json(report: ConsolidatedReport) -> bytes:
    return json.dumps(consolidated_document(report), ensure_ascii=False, indent=2).encode()


def as_xlsx(report: ConsolidatedReport) -> bytes:
    document = consolidated_document(report)
    book = Workbook()
    table3_sheet(book.active, document["table3"])
    book.active.title = "表三 依申请公开"
    scope = book.create_sheet("汇总范围")
    scope.append([document["title"]])
    scope.append(list(DIVISION_COLUMNS))
    for included in document["divisions"]:
        scope.append([included["division"], included["requests"]])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def as_html(report: ConsolidatedReport) -> bytes:
    document = consolidated_document(report)
    head = "".join(f"<th>{html.escape(c)}</th>" for c in DIVISION_COLUMNS)
    rows = "".join(
        f'<tr><td>{html.escape(d["division"])}</td><td class="n">{d["requests"]}</td></tr>'
        for d in document["divisions"]
    )
    scope = f"<h2>{html.escape(DIVISIONS_TITLE)}</h2><table><tr>{head}</tr>{rows}</table>"
    return html_page(document["title"], [table3_html(document["table3"]), scope])
