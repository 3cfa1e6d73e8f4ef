"""Fee notices (收费通知, Art. 42; 国办函〔2020〕109号) through the gateway, on SQLite and PostgreSQL: the amount by
the schedule, the clock stopped until payment, the applicant's view, the lapse found by the overdue sweep, 6.2."""

from __future__ import annotations

from sunshine.events.v1 import disclosure_pb2 as events
from sunshine_kit.auth.principal import Role
from sunshine_kit.envelope import unpack

from tests.disclosure.helpers import APPLICANT, INTAKE, PERSONAL, events_of

API = "/api/v1/disclosure"


async def _act(stack, request_id: str, **body: object):  # type: ignore[no-untyped-def]
    officer = stack.token(Role.DISCLOSURE_OFFICER)
    return await stack.http("POST", f"{API}/requests/{request_id}/actions", json=body, headers=officer)


async def _received(stack, received_on: str, applicant: dict = APPLICANT) -> dict:  # type: ignore[no-untyped-def]
    body = {**INTAKE, "applicant": applicant, "channel": "in_person", "received_on": received_on}
    officer = stack.token(Role.DISCLOSURE_OFFICER)
    reply = await stack.http("POST", f"{API}/requests/received", json=body, headers=officer)
    assert reply.status_code == 201, reply.text
    return reply.json()


async def test_a_fee_notice_stops_the_clock_shows_to_the_applicant_and_payment_resumes_it(stack, js) -> None:  # type: ignore[no-untyped-def]
    received = await _received(stack, "2026-02-13")  # due 2026-03-19
    request_id, follow = (
        received["request"]["id"],
        {
            "number": received["request"]["number"],
            "secret_code": received["secret_code"],
        },
    )
    notified = await _act(stack, request_id, action="notify_fee", on="2026-02-24", fee_basis="per_page", quantity=50)
    assert notified.status_code == 200, notified.text
    assert notified.json()["state"] == "awaiting_fee"
    fee = {"basis": "per_page", "quantity": 50, "earlier_items": 0, "amount_yuan": 200, "notified_on": "2026-02-24",
           "pay_by": "2026-03-23", "pay_by_provisional": False, "paid_on": "", "lapsed": False}  # fmt: skip
    assert notified.json()["fee"] == fee
    progress = (await stack.http("POST", f"{API}/requests/follow", json=follow)).json()
    assert (progress["state"], progress["fee"]) == ("awaiting_fee", fee)

    paid = await _act(stack, request_id, action="fee_paid", on="2026-03-03")  # 6 working days after the notice
    assert (paid.json()["state"], paid.json()["due_on"], paid.json()["fee"]["paid_on"]) == (
        "in_progress",
        "2026-03-27",
        "2026-03-03",
    )
    stored = await events_of(js, "sunshine.events.v1.DisclosureRequestFee", 2)
    notice = unpack(stored[0], events.DisclosureRequestFeeNotified)
    assert (notice.amount_yuan, notice.pay_by) == (200, "2026-03-23")
    assert unpack(stored[1], events.DisclosureRequestFeePaid).due_on == "2026-03-27"
    for envelope in stored:
        for personal in PERSONAL:
            assert personal.encode() not in envelope.SerializeToString(), (envelope.type, personal)


async def test_per_request_fees_count_the_same_applicants_requests_of_the_month(stack) -> None:  # type: ignore[no-untyped-def]
    await _received(stack, "2026-01-30")  # another month
    await _received(stack, "2026-02-05", {**APPLICANT, "id_number": "510104199912120000"})  # another applicant
    for day in range(2, 12):
        await _received(stack, f"2026-02-{day:02d}")
    eleventh = (await _received(stack, "2026-02-13"))["request"]["id"]
    notified = await _act(stack, eleventh, action="notify_fee", on="2026-02-24", fee_basis="per_request", quantity=1)
    assert notified.status_code == 200, notified.text
    assert (notified.json()["fee"]["earlier_items"], notified.json()["fee"]["amount_yuan"]) == (10, 100)

    free = (await _received(stack, "2026-03-02"))["request"]["id"]  # the first of March
    refused = await _act(stack, free, action="notify_fee", on="2026-03-02", fee_basis="per_request", quantity=1)
    assert refused.status_code == 400
    assert [v["field"] for v in refused.json()["error"]["field_violations"]] == ["quantity"]


async def test_an_unpaid_fee_lapses_in_the_overdue_sweep_and_closes_with_six_two(stack, js) -> None:  # type: ignore[no-untyped-def]
    request_id = (await _received(stack, "2026-02-13"))["request"]["id"]
    await _act(stack, request_id, action="notify_fee", on="2026-02-24", fee_basis="per_page", quantity=120)
    early = await _act(stack, request_id, action="answer", on="2026-03-23", outcome="6.2", reason="逾期未缴费")
    assert [v["field"] for v in early.json()["error"]["field_violations"]] == ["on"]

    officer = stack.token(Role.DISCLOSURE_OFFICER)
    swept = (await stack.http("POST", f"{API}/requests/overdue-checks", headers=officer)).json()
    assert [(r["id"], r["overdue"], r["fee"]["lapsed"]) for r in swept] == [(request_id, False, True)]
    assert (await stack.http("POST", f"{API}/requests/overdue-checks", headers=officer)).json() == []
    [lapsed] = await events_of(js, "sunshine.events.v1.DisclosureRequestFeeLapsed", 1)
    assert unpack(lapsed, events.DisclosureRequestFeeLapsed).pay_by == "2026-03-23"

    late_payment = await _act(stack, request_id, action="fee_paid", on="2026-03-24")
    assert [v["field"] for v in late_payment.json()["error"]["field_violations"]] == ["on"]
    closed = await _act(stack, request_id, action="answer", on="2026-03-24", outcome="6.2", reason="逾期未缴费")
    assert (closed.json()["state"], closed.json()["outcome"]) == ("answered", "6.2")
    again = await _act(stack, request_id, action="fee_paid", on="2026-03-24")
    assert again.status_code == 409 and again.json()["error"]["current_state"] == "answered"


async def test_a_fee_notice_needs_a_received_request(stack) -> None:  # type: ignore[no-untyped-def]
    await stack.http("POST", f"{API}/requests", json=INTAKE)
    officer = stack.token(Role.DISCLOSURE_OFFICER)
    [unconfirmed] = (await stack.http("GET", f"{API}/requests", headers=officer)).json()
    refused = await _act(stack, unconfirmed["id"], action="notify_fee", fee_basis="per_page", quantity=50)
    assert refused.status_code == 409 and refused.json()["error"]["current_state"] == "awaiting_confirmation"
