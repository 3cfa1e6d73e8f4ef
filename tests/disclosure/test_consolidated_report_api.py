"""The consolidated annual report through the gateway: this stack's requests and the projection of those below
(fed here straight to the roll-up handlers; tests/disclosure_levels drives it over real level links)."""

from __future__ import annotations

import io

from disclosure.service import requests_below
from google.protobuf.message import Message
from openpyxl import load_workbook
from sunshine.events.v1.disclosure_pb2 import DisclosureRequestAnswered, DisclosureRequestReceived
from sunshine.events.v1.envelope_pb2 import Envelope
from sunshine_kit.auth.principal import Role
from sunshine_kit.envelope import new_event_id

from tests.disclosure.helpers import INTAKE

API = "/api/v1/disclosure"
REPORT = f"{API}/annual-reports/2026/consolidated"
DISTRICT = "510104"  # a district below the default city stack 510100


def _from_below(payload: Message) -> Envelope:
    return Envelope(
        id=new_event_id(), type=payload.DESCRIPTOR.full_name, division=DISTRICT, payload=payload.SerializeToString()
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
    assert reply.json()["divisions"] == [{"division": "510100", "requests": 1}, {"division": DISTRICT, "requests": 2}]

    xlsx = await stack.http("GET", f"{REPORT}?format=xlsx", headers=officer)
    book = load_workbook(io.BytesIO(xlsx.content))
    new_row = next(r for r in book["表三 依申请公开"].iter_rows(values_only=True) if r[0].startswith("一、"))
    assert list(new_row[3:]) == [1, 1, 0, 0, 0, 1, 3]
    assert [DISTRICT, 2] in [list(r) for r in book["汇总范围"].iter_rows(values_only=True)]
    page = await stack.http("GET", f"{REPORT}?format=html", headers=stack.token(Role.LEADER))
    assert page.headers["content-type"].startswith("text/html")
    assert "2026年政府信息公开工作年度报告（汇总）" in page.text and f"<td>{DISTRICT}</td>" in page.text


async def test_the_consolidated_report_is_for_staff_of_this_stack(stack) -> None:  # type: ignore[no-untyped-def]
    assert (await stack.http("GET", REPORT)).status_code == 401
    assert (await stack.http("GET", REPORT, headers=stack.token(Role.HOTLINE_OPERATOR))).status_code == 403
    below = stack.token(Role.DISCLOSURE_OFFICER, division=DISTRICT)
    assert (await stack.http("GET", REPORT, headers=below)).status_code == 403
    future = await stack.http("GET", f"{API}/annual-reports/2999/consolidated", headers=stack.token(Role.LEADER))
    assert future.status_code == 400
