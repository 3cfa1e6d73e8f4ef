"""The annual report as a JSON document, an XLSX workbook and a printable HTML page (in Chinese).

All three are drawn from the same `report_document` dictionary, so they cannot disagree.
"""

from __future__ import annotations

import html
import io
import json
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from disclosure.domain.annual_report import COLUMN_LABELS, REVIEW_COLUMNS, REVIEW_GROUPS, AnnualReport, Row
from disclosure.domain.applicants import APPLICANT_COLUMNS, ApplicantType
from disclosure.domain.outcomes import BY_CODE

_TABLE_SHEETS = ("表二 主动公开", "表三 依申请公开", "表四 复议诉讼")

_CHECK_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
_NATURAL_PERSON = APPLICANT_COLUMNS[ApplicantType.NATURAL_PERSON]
# Table 三's header in the 2021 format: 申请人情况 over 自然人 | 法人或其他组织 (its five kinds) | 总计.
_TABLE3_HEADER = {
    "title": "申请人情况",
    "groups": [
        {"label": _NATURAL_PERSON, "columns": [_NATURAL_PERSON]},
        {"label": "法人或其他组织", "columns": [c for c in APPLICANT_COLUMNS.values() if c != _NATURAL_PERSON]},
        {"label": "总计", "columns": ["总计"]},
    ],
}

_FIXED_LABELS = {
    "new": ("一、本年新收政府信息公开申请数量", ""),
    "carried_over": ("二、上年结转政府信息公开申请数量", ""),
    "total": ("三、本年度办理结果", "（七）总计"),
    "forward": ("四、结转下年度继续办理", ""),
}


def _row_labels(key: str) -> tuple[str, str, str]:
    """(item, section, sub-item) of a table 三 row as the official table prints them."""
    if key in _FIXED_LABELS:
        item, section = _FIXED_LABELS[key]
        return item, section, ""
    outcome = BY_CODE[key]
    if outcome.section == outcome.label:
        return "三、本年度办理结果", outcome.label, ""
    return "三、本年度办理结果", outcome.section, outcome.label


def report_document(report: AnnualReport) -> dict[str, Any]:
    return {
        "title": f"{report.unit}{report.year}年政府信息公开工作年度报告",
        "year": report.year,
        "unit": report.unit,
        "division": report.division,
        "table2": table2_document(report.table2),
        "table3": table3_document(report.table3),
        "table4": table4_document(report.table4),
    }


def table2_document(rows: dict[str, dict[str, int | str]]) -> dict[str, Any]:
    return {"title": "二、主动公开政府信息情况", "rows": rows}


def table3_document(rows: tuple[Row, ...]) -> dict[str, Any]:
    return {
        "title": "三、收到和处理政府信息公开申请情况",
        "header": _TABLE3_HEADER,
        "columns": list(COLUMN_LABELS),
        "rows": [
            dict(zip(("item", "section", "label"), _row_labels(row.key), strict=True))
            | {"key": row.key, "values": list(row.values)}
            for row in rows
        ],
    }


def table4_document(groups: tuple[tuple[int, ...], ...]) -> dict[str, Any]:
    return {
        "title": "四、政府信息公开行政复议、行政诉讼情况",
        "columns": list(REVIEW_COLUMNS),
        "groups": [{"label": g, "values": list(v)} for g, v in zip(REVIEW_GROUPS, groups, strict=True)],
    }


def as_json(report: AnnualReport) -> bytes:
    return json.dumps(report_document(report), ensure_ascii=False, indent=2).encode()


def as_xlsx(report: AnnualReport) -> bytes:
    document = report_document(report)
    book = Workbook()
    book.active.append([document["title"]])
    table_sheets(book, document)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def table_sheets(book: Any, document: dict[str, Any]) -> None:
    """Tables 二, 三 and 四 on three sheets, the first on the workbook's active sheet."""
    sheet = book.active
    sheet.title = _TABLE_SHEETS[0]
    sheet.append([document["table2"]["title"]])
    header: list[str] = []
    for name, cells in document["table2"]["rows"].items():
        if list(cells) != header:
            header = list(cells)
            sheet.append(["信息内容", *header])
        sheet.append([name, *cells.values()])
    _table3_sheet(book.create_sheet(_TABLE_SHEETS[1]), document["table3"])
    review = book.create_sheet(_TABLE_SHEETS[2])
    review.append([document["table4"]["title"]])
    review.append(["", *document["table4"]["columns"]])
    for group in document["table4"]["groups"]:
        review.append([group["label"], *group["values"]])


def _table3_sheet(sheet: Any, table: dict[str, Any]) -> None:
    sheet.append([table["title"]])
    sheet["A1"].font = Font(bold=True)
    _table3_header_rows(sheet, table["header"])
    for row in table["rows"]:
        sheet.append([row["item"], row["section"], row["label"], *row["values"]])
    for column in "ABC":
        sheet.column_dimensions[column].width = 36
    for cells in sheet.iter_rows(min_row=3):
        for cell in cells[:3]:
            cell.alignment = Alignment(wrap_text=True, vertical="center")


def _table3_header_rows(sheet: Any, header: dict[str, Any]) -> None:
    """Rows 2–4: the note over the three label columns, 申请人情况 over the values, then the groups and their
    kinds; a group of one column spans its two rows."""
    groups = header["groups"]
    width = sum(len(g["columns"]) for g in groups)
    sheet.append([_CHECK_NOTE, "", "", header["title"]])
    sheet.append(["", "", ""] + [cell for g in groups for cell in [g["label"]] + [None] * (len(g["columns"]) - 1)])
    sheet.append(["", "", ""] + [c if len(g["columns"]) > 1 else None for g in groups for c in g["columns"]])
    sheet.merge_cells(start_row=2, end_row=4, start_column=1, end_column=3)
    sheet.merge_cells(start_row=2, end_row=2, start_column=4, end_column=3 + width)
    column = 4
    for group in groups:
        span = len(group["columns"])
        last_row, last_column = (4, column) if span == 1 else (3, column + span - 1)
        sheet.merge_cells(start_row=3, end_row=last_row, start_column=column, end_column=last_column)
        column += span
    for cells in sheet.iter_rows(min_row=2, max_row=4):
        for cell in cells:
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)


_STYLE = """
body { font-family: "SimSun", "Songti SC", serif; margin: 2em; }
h1 { text-align: center; font-size: 20pt; } h2 { font-size: 14pt; margin-top: 1.5em; }
table { border-collapse: collapse; width: 100%; page-break-inside: avoid; }
th, td { border: 1px solid #000; padding: 4px 6px; font-size: 10.5pt; }
td.n { text-align: right; } @media print { body { margin: 0; } }
"""


def as_html(report: AnnualReport) -> bytes:
    document = report_document(report)
    return html_page(document["title"], tables_html(document))


def tables_html(document: dict[str, Any]) -> list[str]:
    """Tables 二, 三 and 四 of a report document, as HTML sections."""
    return [_table2_html(document["table2"]), _table3_html(document["table3"]), _table4_html(document["table4"])]


def html_page(title: str, sections: list[str]) -> bytes:
    parts = [
        f'<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>{_e(title)}</title>',
        f"<style>{_STYLE}</style></head><body><h1>{_e(title)}</h1>",
        *sections,
        "</body></html>",
    ]
    return "".join(parts).encode()


def _e(value: object) -> str:
    return html.escape(str(value))


def _cells(values: list[Any]) -> str:
    return "".join(f'<td class="n">{_e(v)}</td>' for v in values)


def _table2_html(table: dict[str, Any]) -> str:
    rows, header = [], None
    for name, cells in table["rows"].items():
        if list(cells) != header:
            header = list(cells)
            rows.append("<tr><th>信息内容</th>" + "".join(f"<th>{_e(h)}</th>" for h in header) + "</tr>")
        rows.append(f"<tr><td>{_e(name)}</td>{_cells(list(cells.values()))}</tr>")
    return f"<h2>{_e(table['title'])}</h2><table>{''.join(rows)}</table>"


def _table3_html(table: dict[str, Any]) -> str:
    rows = _table3_header_html(table["header"])
    for row in table["rows"]:
        labels = [row["item"], row["section"], row["label"]]
        rows.append("<tr>" + "".join(f"<td>{_e(x)}</td>" for x in labels) + _cells(row["values"]) + "</tr>")
    return f"<h2>{_e(table['title'])}</h2><table>{''.join(rows)}</table>"


def _table3_header_html(header: dict[str, Any]) -> list[str]:
    groups = header["groups"]
    width = sum(len(g["columns"]) for g in groups)
    spans = "".join(
        f'<th rowspan="2">{_e(g["label"])}</th>'
        if len(g["columns"]) == 1
        else f'<th colspan="{len(g["columns"])}">{_e(g["label"])}</th>'
        for g in groups
    )
    kinds = "".join(f"<th>{_e(c)}</th>" for g in groups if len(g["columns"]) > 1 for c in g["columns"])
    note = f'<th colspan="3" rowspan="3">{_e(_CHECK_NOTE)}</th>'
    return [
        f'<tr>{note}<th colspan="{width}">{_e(header["title"])}</th></tr>',
        f"<tr>{spans}</tr>",
        f"<tr>{kinds}</tr>",
    ]


def _table4_html(table: dict[str, Any]) -> str:
    head = "".join(f"<th>{_e(c)}</th>" for c in table["columns"])
    rows = [f"<tr><th></th>{head}</tr>"]
    rows += [f"<tr><td>{_e(g['label'])}</td>{_cells(g['values'])}</tr>" for g in table["groups"]]
    return f"<h2>{_e(table['title'])}</h2><table>{''.join(rows)}</table>"
