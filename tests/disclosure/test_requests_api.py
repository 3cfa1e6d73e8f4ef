"""Disclosure on request through the gateway: the citizen's side, the office's side, events and the report."""

from __future__ import annotations

import io
import json

from openpyxl import load_workbook
from sunshine.events.v1 import disclosure_pb2 as events
from sunshine_kit.auth.principal import Role
from sunshine_kit.envelope import unpack

from tests.disclosure.helpers import APPLICANT, INTAKE, PERSONAL, events_of

API = "/api/v1/disclosure"


async def _act(stack, request_id: str, **body: object):  # type: ignore[no-untyped-def]
    officer = stack.token(Role.DISCLOSURE_OFFICER)
    return await stack.http("POST", f"{API}/requests/{request_id}/actions", json=body, headers=officer)


async def _received(stack, received_on: str = "2026-02-13", **changes: object) -> dict:  # type: ignore[no-untyped-def]
    body = {**INTAKE, "channel": "in_person", "received_on": received_on, **changes}
    reply = await stack.http(
        "POST", f"{API}/requests/received", json=body, headers=stack.token(Role.DISCLOSURE_OFFICER)
    )
    assert reply.status_code == 201, reply.text
    return reply.json()["request"]


async def test_a_citizen_submits_and_follows_a_request_through_its_clock(stack, js) -> None:  # type: ignore[no-untyped-def]
    submitted = await stack.http("POST", f"{API}/requests", json=INTAKE)
    assert submitted.status_code == 201, submitted.text
    number, code = submitted.json()["number"], submitted.json()["secret_code"]
    assert submitted.json()["progress"]["state"] == "awaiting_confirmation"

    follow = {"number": number, "secret_code": code}
    assert (
        await stack.http("POST", f"{API}/requests/follow", json={**follow, "secret_code": "X" * 16})
    ).status_code == 404
    officer = stack.token(Role.DISCLOSURE_OFFICER)
    [listed] = (await stack.http("GET", f"{API}/requests?state=awaiting_confirmation", headers=officer)).json()
    request_id = listed["id"]

    steps = [
        ({"action": "confirm", "on": "2026-09-30"}, "in_progress", "2026-11-03"),
        ({"action": "pause", "on": "2026-10-09"}, "consulting", "2026-11-03"),
        ({"action": "resume", "on": "2026-10-16"}, "in_progress", "2026-11-11"),
        ({"action": "extend", "on": "2026-10-20", "days": 5, "approver": "李局长", "reason": "需汇总"}, "in_progress",
         "2026-11-18"),
        ({"action": "answer", "on": "2026-11-02", "outcome": "3.4", "reason": "涉及第三方商业秘密"}, "answered",
         "2026-11-18"),
    ]  # fmt: skip
    for body, state, due_on in steps:
        reply = await _act(stack, request_id, **body)
        assert reply.status_code == 200, (body, reply.text)
        assert (reply.json()["state"], reply.json()["due_on"]) == (state, due_on), body

    progress = (await stack.http("POST", f"{API}/requests/follow", json=follow)).json()
    assert progress == {
        "number": number,
        "state": "answered",
        "received_on": "2026-09-30",
        "due_on": "2026-11-18",
        "due_on_provisional": False,
        "correction_due_on": "",
        "correction_due_provisional": False,
        "answered_on": "2026-11-02",
        "outcome": "3.4",
        "outcome_reason": "涉及第三方商业秘密",
        "fee": None,
        "provisional_note": "",
    }

    stored = await events_of(js, "sunshine.events.v1.DisclosureRequest", 6)
    assert [e.type.removeprefix("sunshine.events.v1.DisclosureRequest") for e in stored] == [
        "Submitted", "Received", "Paused", "Resumed", "Extended", "Answered",
    ]  # fmt: skip
    answered = unpack(stored[-1], events.DisclosureRequestAnswered)
    assert (answered.outcome, answered.late, answered.applicant_type) == ("3.4", False, "natural_person")
    for envelope in stored:
        for personal in PERSONAL:
            assert personal.encode() not in envelope.SerializeToString(), (envelope.type, personal)


async def test_a_resubmission_with_the_same_idempotency_key_is_the_same_request(stack) -> None:  # type: ignore[no-untyped-def]
    key = {"Idempotency-Key": "browser-7f3a-0001"}
    first = await stack.http("POST", f"{API}/requests", json=INTAKE, headers=key)
    again = await stack.http("POST", f"{API}/requests", json=INTAKE, headers=key)
    assert (first.status_code, again.status_code) == (201, 201), again.text
    assert (first.json()["replayed"], again.json()["replayed"]) == (False, True)
    assert again.json()["number"] == first.json()["number"]
    officer = stack.token(Role.DISCLOSURE_OFFICER)
    assert len((await stack.http("GET", f"{API}/requests", headers=officer)).json()) == 1

    def follow(reply) -> dict:  # type: ignore[no-untyped-def]
        return {"number": reply.json()["number"], "secret_code": reply.json()["secret_code"]}

    assert (await stack.http("POST", f"{API}/requests/follow", json=follow(first))).status_code == 404
    assert (await stack.http("POST", f"{API}/requests/follow", json=follow(again))).status_code == 200

    other = {**INTAKE, "description": "另一件事"}
    refused = await stack.http("POST", f"{API}/requests", json=other, headers=key)
    assert refused.status_code == 400 and "idempotency_key" in refused.text, refused.text


async def test_an_illegal_transition_is_refused_with_the_current_state(stack) -> None:  # type: ignore[no-untyped-def]
    request = await _received(stack)
    reply = await _act(stack, request["id"], action="resume")
    assert reply.status_code == 409
    assert reply.json()["error"]["current_state"] == "in_progress"
    bad = await _act(stack, request["id"], action="answer", outcome="9.9", reason="x")
    assert bad.status_code == 400
    assert bad.json()["error"]["field_violations"][0]["field"] == "outcome"


async def test_staff_see_the_applicant_masked_and_only_the_office_sees_it_whole(stack) -> None:  # type: ignore[no-untyped-def]
    request = await _received(stack)
    assert request["applicant"]["name"] == "王**"
    assert request["applicant"]["phone"] == "139****4321"
    assert APPLICANT["id_number"] not in json.dumps(request)
    path = f"{API}/requests/{request['id']}/applicant"
    whole = await stack.http("GET", path, headers=stack.token(Role.DISCLOSURE_OFFICER))
    assert whole.json() == APPLICANT
    assert (await stack.http("GET", path, headers=stack.token(Role.LEADER))).status_code == 403
    assert (await stack.http("GET", path, headers=stack.token(Role.HOTLINE_OPERATOR))).status_code == 403


async def test_a_complaint_goes_to_the_hotline_which_may_then_read_it(stack, js) -> None:  # type: ignore[no-untyped-def]
    request = await _received(stack, received_on="2026-11-02")
    reply = await _act(stack, request["id"], action="redirect_complaint", on="2026-11-03", reason="属投诉，转12345")
    assert (reply.json()["state"], reply.json()["outcome"]) == ("answered", "5.1")
    [redirected] = await events_of(js, "sunshine.events.v1.DisclosureRequestRedirected", 1)
    payload = unpack(redirected, events.DisclosureRequestRedirected)
    assert (payload.request_id, payload.division) == (request["id"], "510100")
    operator = stack.token(Role.HOTLINE_OPERATOR)
    whole = await stack.http("GET", f"{API}/requests/{payload.request_id}/applicant", headers=operator)
    assert whole.json()["phone"] == APPLICANT["phone"]


async def test_overdue_requests_are_flagged_once_with_an_event(stack, js) -> None:  # type: ignore[no-untyped-def]
    late = await _received(stack, received_on="2026-02-13")  # due 2026-03-19, long past
    officer = stack.token(Role.DISCLOSURE_OFFICER)
    first = await stack.http("POST", f"{API}/requests/overdue-checks", headers=officer)
    assert [r["id"] for r in first.json()] == [late["id"]]
    assert first.json()[0]["overdue"] is True
    again = await stack.http("POST", f"{API}/requests/overdue-checks", headers=officer)
    assert again.json() == []
    [overdue] = await events_of(js, "sunshine.events.v1.DisclosureRequestOverdue", 1)
    assert unpack(overdue, events.DisclosureRequestOverdue).due_on == "2026-03-19"


async def test_the_annual_report_counts_requests_in_json_xlsx_and_html(stack) -> None:  # type: ignore[no-untyped-def]
    answered = await _received(stack, received_on="2026-02-13")
    await _act(stack, answered["id"], action="answer", on="2026-03-02", outcome="1")
    firm = {**APPLICANT, "type": "commercial_enterprise"}
    await _received(stack, received_on="2026-03-02", applicant=firm)
    officer = stack.token(Role.DISCLOSURE_OFFICER)
    figures = {"licensing_decisions": 12, "review_and_litigation": [1, 0, 0, 0, 1] + [0] * 10}
    put = await stack.http("PUT", f"{API}/annual-reports/2026/figures", json=figures, headers=officer)
    assert put.status_code == 200, put.text

    document = (await stack.http("GET", f"{API}/annual-reports/2026", headers=stack.token(Role.LEADER))).json()
    rows = {row["key"]: row["values"] for row in document["table3"]["rows"]}
    assert rows["new"] == [1, 1, 0, 0, 0, 0, 2]
    assert rows["1"] == [1, 0, 0, 0, 0, 0, 1]
    assert rows["forward"] == [0, 1, 0, 0, 0, 0, 1]
    assert document["table2"]["rows"]["行政许可"] == {"本年处理决定数量": 12}
    assert document["table4"]["groups"][0]["values"] == [1, 0, 0, 0, 1]

    xlsx = await stack.http("GET", f"{API}/annual-reports/2026?format=xlsx", headers=officer)
    sheet = load_workbook(io.BytesIO(xlsx.content))["表三 依申请公开"]
    new_row = next(r for r in sheet.iter_rows(values_only=True) if r[0] == "一、本年新收政府信息公开申请数量")
    assert list(new_row[3:]) == [1, 1, 0, 0, 0, 0, 2]
    page = await stack.http("GET", f"{API}/annual-reports/2026?format=html", headers=officer)
    assert page.headers["content-type"].startswith("text/html")
    assert "2026年政府信息公开工作年度报告" in page.text and "结转下年度继续办理" in page.text


async def test_bad_report_figures_are_refused_naming_the_field(stack) -> None:  # type: ignore[no-untyped-def]
    figures = {"review_and_litigation": [1, 0, 0, 0, 2] + [0] * 10}
    officer = stack.token(Role.DISCLOSURE_OFFICER)
    reply = await stack.http("PUT", f"{API}/annual-reports/2026/figures", json=figures, headers=officer)
    assert reply.status_code == 400
    assert reply.json()["error"]["field_violations"][0]["field"] == "review_and_litigation"
