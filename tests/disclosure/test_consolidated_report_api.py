"""The consolidated annual report through the gateway: this stack's requests, documents and figures and the
projections of those below (fed here straight to the roll-up handlers; tests/disclosure_levels drives them over
real level links)."""

from __future__ import annotations

import io
from datetime import UTC, datetime

from disclosure.service import catalogue_below, figures_below, requests_below
from google.protobuf.message import Message
from openpyxl import load_workbook
from sunshine.events.v1.disclosure_pb2 import (
    CatalogueEntryPublished,
    CatalogueEntryRepealed,
    CatalogueEntryRevised,
    DisclosureRequestAnswered,
    DisclosureRequestReceived,
    ReportFiguresRecorded,
)
from sunshine.events.v1.envelope_pb2 import Envelope
from sunshine_kit.auth.principal import Role
from sunshine_kit.envelope import new_event_id
from sunshine_kit.timestamps import to_timestamp

from tests.disclosure.helpers import INTAKE

API = "/api/v1/disclosure"
REPORT = f"{API}/annual-reports/2026/consolidated"
DISTRICT = "510104"  # a district below the default city stack 510100
OTHER_DISTRICT = "510105"
MISSING = "未填报（未计入）"


def _from_below(payload: Message, division: str = DISTRICT) -> Envelope:
    return Envelope(
        id=new_event_id(), type=payload.DESCRIPTOR.full_name, division=division, payload=payload.SerializeToString()
    )


async def _apply(stack, handler, envelope: Envelope) -> None:  # type: ignore[no-untyped-def]
    async with stack.runtimes["disclosure"].sessions.begin() as session:
        await handler(session, envelope)


def _rows(document: dict) -> dict[str, list[int]]:  # type: ignore[type-arg]
    return {row["key"]: row["values"] for row in document["table3"]["rows"]}


async def test_the_report_counts_own_requests_and_those_below_whichever_event_comes_first(stack) -> None:  # type: ignore[no-untyped-def]
    officer = stack.token(Role.DISCLOSURE_OFFICER)
    body = {**INTAKE, "channel": "in_person", "received_on": "2026-02-13"}
    assert (await stack.http("POST", f"{API}/requests/received", json=body, headers=officer)).status_code == 201
    answered = DisclosureRequestAnswered(
        request_id="r-1",
        answered_on="2026-03-02",
        outcome="3.4",
        received_on="2026-02-20",
        applicant_type="other_organisation",
    )
    await _apply(stack, requests_below.on_answered, _from_below(answered))
    late_receipt = DisclosureRequestReceived(
        request_id="r-1", applicant_type="other_organisation", received_on="2026-02-20"
    )
    await _apply(stack, requests_below.on_received, _from_below(late_receipt))
    firm = DisclosureRequestReceived(request_id="r-2", applicant_type="commercial_enterprise", received_on="2026-05-06")
    await _apply(stack, requests_below.on_received, _from_below(firm))

    reply = await stack.http("GET", REPORT, headers=stack.token(Role.EVALUATOR))
    assert reply.status_code == 200, reply.text
    rows = _rows(reply.json())
    assert rows["new"] == [1, 1, 0, 0, 0, 1, 3]
    assert rows["3.4"] == [0, 0, 0, 0, 0, 1, 1]
    assert rows["forward"] == [1, 1, 0, 0, 0, 0, 2]
    assert reply.json()["divisions"] == [
        {"division": "510100", "requests": 1, "figures_entered": False},
        {"division": DISTRICT, "requests": 2, "figures_entered": False},
    ]

    xlsx = await stack.http("GET", f"{REPORT}?format=xlsx", headers=officer)
    book = load_workbook(io.BytesIO(xlsx.content))
    new_row = next(r for r in book["表三 依申请公开"].iter_rows(values_only=True) if (r[0] or "").startswith("一、"))
    assert list(new_row[3:]) == [1, 1, 0, 0, 0, 1, 3]
    assert [DISTRICT, 2, MISSING] in [list(r) for r in book["汇总范围"].iter_rows(values_only=True)]
    page = await stack.http("GET", f"{REPORT}?format=html", headers=stack.token(Role.LEADER))
    assert page.headers["content-type"].startswith("text/html")
    assert "2026年政府信息公开工作年度报告（汇总）" in page.text and f"<td>{DISTRICT}</td>" in page.text


def _recorded(at: str, licensing: int, review: list[int]) -> ReportFiguresRecorded:
    return ReportFiguresRecorded(
        year=2026,
        licensing_decisions=licensing,
        penalty_decisions=2,
        fees_ten_thousand_yuan="0.75",
        review_and_litigation=review + [0] * 10,
        recorded_at=to_timestamp(datetime.fromisoformat(at).replace(tzinfo=UTC)),
    )


async def test_tables_2_and_4_sum_own_and_below_with_the_latest_figures_and_list_the_missing(stack) -> None:  # type: ignore[no-untyped-def]
    officer = stack.token(Role.DISCLOSURE_OFFICER)
    own = {
        "licensing_decisions": 12,
        "fees_ten_thousand_yuan": "3.5",
        "review_and_litigation": [1, 0, 0, 0, 1] + [0] * 10,
    }
    assert (await stack.http("PUT", f"{API}/annual-reports/2026/figures", json=own, headers=officer)).status_code == 200
    normative, published, repealed = "行政规范性文件", catalogue_below.on_published, catalogue_below.on_repealed
    catalogue_events = [  # out of order, as separate consumers may apply them
        (published, CatalogueEntryPublished(entry_id="e-1", formed_on="2026-01-05", force_level="规章")),
        (repealed, CatalogueEntryRepealed(entry_id="e-2", force_level=normative, repealed_on="2026-04-01")),
        (published, CatalogueEntryPublished(entry_id="e-2", formed_on="2024-02-01", force_level=normative)),
        (published, CatalogueEntryPublished(entry_id="e-3", formed_on="2026-02-01", force_level="其他")),
        (catalogue_below.on_revised, CatalogueEntryRevised(entry_id="e-3", version=3, force_level=normative)),
        (catalogue_below.on_revised, CatalogueEntryRevised(entry_id="e-3", version=2, force_level="其他")),
    ]  # fmt: skip
    for handler, payload in catalogue_events:
        await _apply(stack, handler, _from_below(payload))
    for recorded in (
        _recorded("2026-06-01T08:00:00", 5, [0, 1, 0, 0, 1]),
        _recorded("2026-06-02T08:00:00", 7, [0, 1, 1, 0, 2]),  # the correction: replaces the first
        _recorded("2026-05-01T08:00:00", 100, [9, 0, 0, 0, 9]),  # an older record arriving late: ignored
    ):
        await _apply(stack, figures_below.on_recorded, _from_below(recorded))
    other = DisclosureRequestReceived(request_id="r-9", applicant_type="natural_person", received_on="2025-05-06")
    await _apply(stack, requests_below.on_received, _from_below(other, OTHER_DISTRICT))

    document = (await stack.http("GET", REPORT, headers=stack.token(Role.LEADER))).json()
    table2 = document["table2"]["rows"]
    assert table2["规章"] == {"本年制发件数": 1, "本年废止件数": 0, "现行有效件数": 1}
    assert table2["行政规范性文件"] == {"本年制发件数": 1, "本年废止件数": 1, "现行有效件数": 1}
    assert table2["行政许可"] == {"本年处理决定数量": 19}
    assert table2["行政处罚"] == {"本年处理决定数量": 2}
    assert table2["行政事业性收费"] == {"本年收费金额（万元）": "4.25"}
    assert [group["values"] for group in document["table4"]["groups"]] == [[1, 1, 1, 0, 3], [0] * 5, [0] * 5]
    assert document["figures_missing"] == [OTHER_DISTRICT]
    assert [(d["division"], d["figures_entered"]) for d in document["divisions"]] == [
        ("510100", True),
        (DISTRICT, True),
        (OTHER_DISTRICT, False),
    ]

    book = load_workbook(io.BytesIO((await stack.http("GET", f"{REPORT}?format=xlsx", headers=officer)).content))
    assert ["行政许可", 19] in [list(r[:2]) for r in book["表二 主动公开"].iter_rows(values_only=True)]
    assert ["行政复议", 1, 1, 1, 0, 3] in [list(r) for r in book["表四 复议诉讼"].iter_rows(values_only=True)]
    assert [OTHER_DISTRICT, 1, MISSING] in [list(r) for r in book["汇总范围"].iter_rows(values_only=True)]
    page = (await stack.http("GET", f"{REPORT}?format=html", headers=officer)).text
    assert "二、主动公开政府信息情况" in page and "四、政府信息公开行政复议、行政诉讼情况" in page
    assert f'<td>{OTHER_DISTRICT}</td><td class="n">1</td><td>{MISSING}</td>' in page


async def test_the_consolidated_report_is_for_staff_of_this_stack(stack) -> None:  # type: ignore[no-untyped-def]
    assert (await stack.http("GET", REPORT)).status_code == 401
    assert (await stack.http("GET", REPORT, headers=stack.token(Role.HOTLINE_OPERATOR))).status_code == 403
    below = stack.token(Role.DISCLOSURE_OFFICER, division=DISTRICT)
    assert (await stack.http("GET", REPORT, headers=below)).status_code == 403
    future = await stack.http("GET", f"{API}/annual-reports/2999/consolidated", headers=stack.token(Role.LEADER))
    assert future.status_code == 400
