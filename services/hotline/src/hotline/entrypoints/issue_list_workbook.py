"""The issue list (问题清单) as an XLSX workbook with Chinese headings, one row per topic and a total."""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from hotline.domain.issue_list import IssueList

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SHEET = "问题清单"
HEADINGS = ("序号", "诉求主题", "工单数", "未办结", "超期", "典型诉求摘要")
WIDTHS = {"A": 6, "B": 16, "C": 10, "D": 10, "E": 10, "F": 80}


def filename(found: IssueList) -> str:
    return f"{found.unit_name}问题清单_{found.period.first}_{found.period.last}.xlsx"


def as_xlsx(found: IssueList) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = SHEET
    sheet.append([f"{found.unit_name}问题清单（{found.period.first}至{found.period.last}）"])
    sheet["A1"].font = Font(bold=True)
    sheet.append(HEADINGS)
    for number, topic in enumerate(found.topics, start=1):
        sheet.append([number, topic.topic, topic.tickets, topic.open, topic.overdue, "\n".join(topic.summaries)])
    sheet.append(["合计", "", found.tickets, found.open, found.overdue, ""])
    for column, width in WIDTHS.items():
        sheet.column_dimensions[column].width = width
    for cell in sheet["F"]:
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
