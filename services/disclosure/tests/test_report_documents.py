"""Table 三's header as in the 2021 format (国办公开办函〔2021〕30号), in the JSON, XLSX and HTML documents:

    申请人情况
    自然人 | 法人或其他组织                                              | 总计
           | 商业企业 | 科研机构 | 社会公益组织 | 法律服务机构 | 其他 |
"""

from __future__ import annotations

import io
import json
import re

from disclosure.domain.annual_report import ReportFigures, compile_report
from disclosure.entrypoints.report_documents import as_html, as_json, as_xlsx
from openpyxl import load_workbook

ORGANISATIONS = ["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"]
REPORT = compile_report(2026, "示例市人民政府办公厅", "510100", [], [], ReportFigures(2026))


def test_the_json_header_groups_the_organisations_under_legal_persons() -> None:
    table = json.loads(as_json(REPORT))["table3"]
    assert table["header"] == {
        "title": "申请人情况",
        "groups": [
            {"label": "自然人", "columns": ["自然人"]},
            {"label": "法人或其他组织", "columns": ORGANISATIONS},
            {"label": "总计", "columns": ["总计"]},
        ],
    }
    assert table["columns"] == ["自然人", *ORGANISATIONS, "总计"]  # one per value, in the values' order


def test_the_xlsx_header_has_three_rows_with_merged_cells() -> None:
    sheet = load_workbook(io.BytesIO(as_xlsx(REPORT)))["表三 依申请公开"]
    header = [list(row) for row in sheet.iter_rows(min_row=2, max_row=4, min_col=4, max_col=10, values_only=True)]
    assert header == [
        ["申请人情况", None, None, None, None, None, None],
        ["自然人", "法人或其他组织", None, None, None, None, "总计"],
        [None, *ORGANISATIONS, None],
    ]
    merged = {str(r) for r in sheet.merged_cells.ranges}
    assert {"A2:C4", "D2:J2", "D3:D4", "E3:I3", "J3:J4"} <= merged
    first = next(sheet.iter_rows(min_row=5, max_row=5, values_only=True))
    assert first[0] == "一、本年新收政府信息公开申请数量" and list(first[3:]) == [0] * 7


def test_the_html_header_spans_the_groups() -> None:
    page = as_html(REPORT).decode()
    table3 = page[page.index("三、收到和处理政府信息公开申请情况") :]
    head = re.sub(r"\s+", "", table3[: table3.index("一、本年新收")])
    assert '<thcolspan="7">申请人情况</th>' in head
    assert '<throwspan="2">自然人</th><thcolspan="5">法人或其他组织</th><throwspan="2">总计</th>' in head
    assert "".join(f"<th>{name}</th>" for name in ORGANISATIONS) in head
