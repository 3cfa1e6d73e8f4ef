"""Knowledge (知识库) and routing with disclosure, through the gateway with the whole stack in this process."""

from __future__ import annotations

from sqlalchemy import text
from sunshine.events.v1 import hotline_pb2 as events
from sunshine.events.v1.envelope_pb2 import Envelope
from sunshine_kit.auth.principal import Role
from sunshine_kit.db import create_engine
from sunshine_kit.envelope import new_event_id, unpack
from sunshine_kit.testing.streams import stored_messages
from sunshine_kit.testing.waiting import wait_until

from tests.hotline.conftest import as_staff
from tests.hotline.test_closed_loop import BASE, CALLER, TICKET, step

DISCLOSURE = "/api/v1/disclosure"
ENTRY = {
    "title": "成都市城市生活垃圾分类管理办法",
    "issuing_organ": "成都市人民政府",
    "document_number": "成府发〔2026〕7号",
    "formed_on": "2026-11-20",
    "body": "生活垃圾应当按照可回收物、有害垃圾、厨余垃圾和其他垃圾分类投放，物业服务企业负责清运衔接。",
}
APPLICANT = {
    "type": "natural_person",
    "name": "王小红",
    "phone": "13987654321",
    "id_number": "510104198805051234",
    "address": "锦江区某路8号",
}
CONTACT = {k: APPLICANT[k] for k in ("name", "phone", "id_number")}


async def _published(stack) -> dict:  # type: ignore[no-untyped-def]
    reply = await stack.http(
        "POST", f"{DISCLOSURE}/catalogue", json=ENTRY, headers=stack.token(Role.DISCLOSURE_OFFICER)
    )
    assert reply.status_code == 201, reply.text
    return reply.json()


async def _accepted(stack, operator: dict[str, str]) -> dict:  # type: ignore[no-untyped-def]
    reply = await stack.http("POST", BASE, json=TICKET, headers=operator)
    assert reply.status_code == 201, reply.text
    return reply.json()


async def _stored(js, event_type: str) -> list[Envelope]:  # type: ignore[no-untyped-def]
    envelopes = [Envelope.FromString(m.data) for m in await stored_messages(js, "EVENTS")]
    return [e for e in envelopes if e.type == event_type]


async def test_an_operator_finds_a_published_entry_and_cites_it_in_a_direct_answer(stack, js) -> None:  # type: ignore[no-untyped-def]
    entry = await _published(stack)
    operator = as_staff(stack, "op-1", Role.HOTLINE_OPERATOR)
    found = await stack.http("GET", "/api/v1/hotline/knowledge", params={"q": "垃圾分类"}, headers=operator)
    assert found.status_code == 200, found.text
    assert [(d["entry_id"], d["document_number"]) for d in found.json()] == [(entry["id"], "成府发〔2026〕7号")]

    ticket = await _accepted(stack, operator)
    body = {"entry_ids": [entry["id"], entry["id"]]}
    linked = await stack.http("POST", f"{BASE}/{ticket['id']}/documents", json=body, headers=operator)
    assert linked.status_code == 200, linked.text
    [document] = linked.json()["documents"]
    assert (document["title"], document["validity"], document["linked_by"]) == (ENTRY["title"], "现行有效", "op-1")
    assert linked.json()["history"][-1]["action"] == "link_documents"
    answered = await step(
        stack, ticket["id"], operator, action="answer_directly", answer="请按四分类投放，详见成府发〔2026〕7号"
    )
    assert (answered.json()["state"], answered.json()["direct_answer"]) == ("办结", True)
    shown = (await stack.http("GET", f"{BASE}/{ticket['id']}", headers=operator)).json()
    assert [d["entry_id"] for d in shown["documents"]] == [entry["id"]]

    await wait_until(lambda: _has(js, "sunshine.events.v1.TicketClosed"), within=30)
    [closed] = [unpack(e, events.TicketClosed) for e in await _stored(js, "sunshine.events.v1.TicketClosed")]
    assert (closed.direct_answer, closed.linked_documents, closed.handed_to_disclosure) == (True, 1, False)


async def test_linking_an_entry_the_catalogue_does_not_have_names_the_field(stack) -> None:  # type: ignore[no-untyped-def]
    operator = as_staff(stack, "op-1", Role.HOTLINE_OPERATOR)
    ticket = await _accepted(stack, operator)
    reply = await stack.http("POST", f"{BASE}/{ticket['id']}/documents", json={"entry_ids": ["nope"]}, headers=operator)
    assert reply.status_code == 400
    assert reply.json()["error"]["field_violations"][0]["field"] == "entry_ids"


async def test_without_the_disclosure_service_intake_works_and_the_search_says_so(stack) -> None:  # type: ignore[no-untyped-def]
    operator = as_staff(stack, "op-1", Role.HOTLINE_OPERATOR)
    await stack.runtimes["disclosure"].stop()
    assert (await stack.http("POST", BASE, json=TICKET, headers=operator)).status_code == 201
    reply = await stack.http("GET", "/api/v1/hotline/knowledge", params={"q": "垃圾分类"}, headers=operator)
    assert reply.status_code == 503
    error = reply.json()["error"]
    assert error["code"] == "UNAVAILABLE"
    assert "知识库暂不可用" in error["message"] and "knowledge base is unavailable" in error["message"]


async def test_a_redirected_disclosure_request_becomes_one_ticket_however_often_it_arrives(
    stack, js, hotline_database_url
) -> None:  # type: ignore[no-untyped-def]
    first, second = await _redirected(stack), await _redirected(stack)
    operator = as_staff(stack, "op-1", Role.HOTLINE_OPERATOR)
    tickets = await wait_until_redirected(stack, operator, {first["id"], second["id"]})
    ticket = tickets[first["id"]]
    assert (ticket["category"], ticket["channel"], ticket["state"]) == ("complaint", "disclosure", "受理")
    assert ticket["disclosure_request_number"] == first["number"] and first["number"] in ticket["description"]

    [copy, *_] = await _stored(js, "sunshine.events.v1.DisclosureRequestRedirected")
    copy.id = new_event_id()  # another copy of the same hand-over, not a redelivery the inbox would drop
    subject = "sunshine.510100.disclosure.disclosure_request.redirected"
    await js.publish(subject, copy.SerializeToString(), headers={"Nats-Msg-Id": copy.id})
    await wait_until(lambda: _processed(hotline_database_url, copy.id), within=30)
    again = await stack.http("GET", BASE, params={"limit": 1000}, headers=operator)
    assert [t["disclosure_request_id"] for t in again.json()].count(first["id"]) == 1


async def test_a_redirected_request_arrives_with_the_applicant_sealed_and_masked_per_role(stack, js) -> None:  # type: ignore[no-untyped-def]
    request = await _redirected(stack)
    operator = as_staff(stack, "op-1", Role.HOTLINE_OPERATOR)
    ticket_id = (await wait_until_redirected(stack, operator, {request["id"]}))[request["id"]]["id"]

    async def with_caller() -> bool:
        found = await stack.http("GET", f"{BASE}/{ticket_id}", headers=operator)
        return bool(found.json()["caller"]["name"])

    await wait_until(with_caller, within=30)
    ticket = (await stack.http("GET", f"{BASE}/{ticket_id}", headers=operator)).json()
    assert ticket["caller"] == {**CONTACT, "email": ""}  # the request holds no email
    recorded = ticket["history"][-1]
    assert (recorded["action"], recorded["actor_id"]) == ("record_applicant", "disclosure")
    masked = {"name": "王**", "phone": "139****4321", "id_number": "5101**********1234", "email": ""}
    for subject, role in (("ldr", Role.LEADER), ("ev", Role.EVALUATOR)):
        seen = await stack.http("GET", f"{BASE}/{ticket_id}", headers=as_staff(stack, subject, role))
        assert seen.json()["caller"] == masked, role

    engine = create_engine(stack.settings.database_url("hotline"))
    try:
        async with engine.connect() as connection:
            statement = text("SELECT caller_name, caller_phone, caller_id_number FROM tickets WHERE id = :id")
            sealed = (await connection.execute(statement, {"id": ticket_id})).one()
    finally:
        await engine.dispose()
    for column, plain in zip(sealed, CONTACT.values(), strict=True):
        assert column and plain.encode() not in bytes(column)
    await wait_until(lambda: _has(js, "sunshine.events.v1.TicketAccepted"), within=30)
    for message in await stored_messages(js, "EVENTS"):
        for personal in (*CONTACT.values(), APPLICANT["address"]):
            assert personal.encode() not in message.data, message.subject


async def test_an_operator_hands_a_call_over_as_a_disclosure_request_with_consent(stack, js) -> None:  # type: ignore[no-untyped-def]
    operator = as_staff(stack, "op-1", Role.HOTLINE_OPERATOR)
    ticket = await _accepted(stack, operator)
    path = f"{BASE}/{ticket['id']}/disclosure-handover"
    refused = await stack.http("POST", path, json={"caller_consents": False}, headers=operator)
    assert refused.status_code == 400
    assert refused.json()["error"]["field_violations"][0]["field"] == "caller_consents"

    sought = "本小区垃圾清运合同及清运频次"
    reply = await stack.http(
        "POST", path, json={"caller_consents": True, "information_sought": sought}, headers=operator
    )
    assert reply.status_code == 200, reply.text
    handed = reply.json()
    assert (handed["ticket"]["state"], handed["ticket"]["direct_answer"]) == ("办结", False)
    assert handed["ticket"]["disclosure_request_number"] == handed["request_number"]
    consent = handed["ticket"]["history"][-1]
    assert (consent["action"], consent["actor_id"]) == ("hand_over_to_disclosure", "op-1")
    assert "来电人同意" in consent["note"]

    officer = stack.token(Role.DISCLOSURE_OFFICER)
    waiting = await stack.http(
        "GET", f"{DISCLOSURE}/requests", params={"state": "awaiting_confirmation"}, headers=officer
    )
    [request] = [r for r in waiting.json() if r["number"] == handed["request_number"]]
    assert request["description"] == sought
    applicant = await stack.http("GET", f"{DISCLOSURE}/requests/{request['id']}/applicant", headers=officer)
    assert (applicant.json()["name"], applicant.json()["phone"]) == (CALLER["name"], CALLER["phone"])
    follow = {"number": handed["request_number"], "secret_code": handed["secret_code"]}
    assert (await stack.http("POST", f"{DISCLOSURE}/requests/follow", json=follow)).status_code == 200
    again = await stack.http("POST", path, json={"caller_consents": True}, headers=operator)
    assert again.status_code == 409

    await wait_until(lambda: _has(js, "sunshine.events.v1.TicketClosed"), within=30)
    [closed] = [unpack(e, events.TicketClosed) for e in await _stored(js, "sunshine.events.v1.TicketClosed")]
    assert (closed.direct_answer, closed.handed_to_disclosure) == (False, True)


async def _redirected(stack) -> dict:  # type: ignore[no-untyped-def]
    """A request received by the office and closed as a complaint (Art. 39)."""
    officer = stack.token(Role.DISCLOSURE_OFFICER)
    body = {
        "applicant": APPLICANT,
        "description": "反映小区垃圾长期无人清运，要求处理",
        "channel": "in_person",
        "received_on": "2026-11-26",
    }
    received = await stack.http("POST", f"{DISCLOSURE}/requests/received", json=body, headers=officer)
    assert received.status_code == 201, received.text
    request = received.json()["request"]
    action = {"action": "redirect_complaint", "on": "2026-11-27", "reason": "属投诉，转12345"}
    acted = await stack.http("POST", f"{DISCLOSURE}/requests/{request['id']}/actions", json=action, headers=officer)
    assert acted.status_code == 200, acted.text
    return request


async def wait_until_redirected(stack, operator: dict[str, str], request_ids: set[str]) -> dict[str, dict]:  # type: ignore[no-untyped-def]
    found: dict[str, dict] = {}

    async def arrived() -> bool:
        listed = await stack.http("GET", BASE, params={"limit": 1000}, headers=operator)
        found.update({t["disclosure_request_id"]: t for t in listed.json() if t["disclosure_request_id"]})
        return request_ids <= found.keys()

    await wait_until(arrived, within=30)
    return found


async def _has(js, event_type: str) -> bool:  # type: ignore[no-untyped-def]
    return bool(await _stored(js, event_type))


async def _processed(database_url: str, event_id: str) -> bool:
    engine = create_engine(database_url)
    try:
        async with engine.connect() as connection:
            statement = text("SELECT count(*) FROM inbox WHERE event_id = :id")
            return (await connection.execute(statement, {"id": event_id})).scalar_one() == 1
    finally:
        await engine.dispose()
