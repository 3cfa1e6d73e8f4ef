"""The closed loop through the gateway (HTTP → gRPC → database and outbox → JetStream), on SQLite and PostgreSQL."""

from __future__ import annotations

from sqlalchemy import text
from sunshine.events.v1.envelope_pb2 import Envelope
from sunshine_kit.auth.principal import Role
from sunshine_kit.db import create_engine
from sunshine_kit.testing.streams import stored_messages
from sunshine_kit.testing.waiting import wait_until

from tests.hotline.conftest import as_staff

CALLER = {"name": "张三", "phone": "13800001234", "id_number": "510104199001011234", "email": "zhangsan@example.com"}
TICKET = {
    "category": "complaint",
    "topic": "环境卫生",
    "channel": "phone",
    "place_division": "510104",
    "address": "春熙路18号3单元",
    "description": "小区门口垃圾堆放三天无人清运，气味很大",
    "caller": CALLER,
}
BASE = "/api/v1/hotline/tickets"


async def step(stack, ticket_id: str, headers: dict[str, str], **body: object):  # type: ignore[no-untyped-def]
    return await stack.http("POST", f"{BASE}/{ticket_id}/transitions", json=body, headers=headers)


async def test_a_ticket_goes_round_the_whole_loop_and_every_step_is_recorded(stack) -> None:  # type: ignore[no-untyped-def]
    operator = as_staff(stack, "op-1", Role.HOTLINE_OPERATOR)
    unit = as_staff(stack, "cgj:li", Role.HANDLING_UNIT)
    created = await stack.http("POST", BASE, json=TICKET, headers=operator)
    assert created.status_code == 201, created.text
    ticket = created.json()
    assert (ticket["state"], ticket["caller"]) == ("受理", CALLER)

    suggestion = (await stack.http("GET", f"{BASE}/{ticket['id']}/dispatch-suggestion", headers=operator)).json()
    assert suggestion["lead_unit"] == "cgj" and "垃圾" in suggestion["matched_keywords"]
    for action, who, extra in [
        ("dispatch", operator, {}),
        ("sign", unit, {}),
        ("start", unit, {}),
        ("answer", unit, {"answer": "已安排清运并加强巡查"}),
        ("review", operator, {"approved": True}),
        ("callback", operator, {"satisfaction": "UNSATISFIED", "resolved": False}),
        ("reopen", operator, {}),
        ("sign", unit, {}),
        ("start", unit, {}),
        ("answer", unit, {"answer": "已清运完毕"}),
        ("review", operator, {"approved": True}),
        ("callback", operator, {"satisfaction": "SATISFIED", "resolved": True}),
        ("evaluate", operator, {"satisfaction": "SATISFIED"}),
    ]:
        reply = await step(stack, ticket["id"], who, action=action, **extra)
        assert reply.status_code == 200, (action, reply.text)
    final = (await stack.http("GET", f"{BASE}/{ticket['id']}", headers=operator)).json()
    assert (final["state"], final["reopen_count"], final["lead_unit"]) == ("评价", 1, "cgj")
    assert [h["action"] for h in final["history"]][:3] == ["accept", "dispatch", "sign"]
    assert {h["actor_id"] for h in final["history"][1:]} == {"op-1", "cgj:li"}


async def test_an_illegal_step_is_refused_with_the_current_state(stack) -> None:  # type: ignore[no-untyped-def]
    operator = as_staff(stack, "op-1", Role.HOTLINE_OPERATOR)
    ticket = (await stack.http("POST", BASE, json=TICKET, headers=operator)).json()
    reply = await step(stack, ticket["id"], operator, action="review", approved=True)
    assert reply.status_code == 409
    assert reply.json()["error"]["current_state"] == "受理"


async def test_another_unit_may_not_sign_and_a_leader_may_not_dispatch(stack) -> None:  # type: ignore[no-untyped-def]
    operator = as_staff(stack, "op-1", Role.HOTLINE_OPERATOR)
    ticket = (await stack.http("POST", BASE, json=TICKET, headers=operator)).json()
    refused = await step(stack, ticket["id"], as_staff(stack, "ldr", Role.LEADER), action="dispatch")
    assert refused.status_code == 403
    await step(stack, ticket["id"], operator, action="dispatch", lead_unit="cgj")
    other = await step(stack, ticket["id"], as_staff(stack, "zjj:wang", Role.HANDLING_UNIT), action="sign")
    assert other.status_code == 403


async def test_a_department_matter_is_not_dispatched_to_a_township(stack) -> None:  # type: ignore[no-untyped-def]
    operator = as_staff(stack, "op-1", Role.HOTLINE_OPERATOR)
    ticket = (await stack.http("POST", BASE, json=TICKET, headers=operator)).json()
    reply = await step(stack, ticket["id"], operator, action="dispatch", lead_unit="jd001")
    assert reply.status_code == 400
    assert "不得下派乡镇" in reply.json()["error"]["message"]


async def test_each_role_sees_the_caller_as_it_should(stack) -> None:  # type: ignore[no-untyped-def]
    operator = as_staff(stack, "op-1", Role.HOTLINE_OPERATOR)
    plain = (await stack.http("POST", BASE, json=TICKET, headers=operator)).json()
    secret = (await stack.http("POST", BASE, json={**TICKET, "confidential": True}, headers=operator)).json()
    for ticket in (plain, secret):
        await step(stack, ticket["id"], operator, action="dispatch", lead_unit="cgj")
    masked = {"name": "张*", "phone": "138****1234", "id_number": "5101**********1234", "email": "z*******@example.com"}
    expected = {
        ("op-1", Role.HOTLINE_OPERATOR): (CALLER, CALLER),
        ("cgj:li", Role.HANDLING_UNIT): (CALLER, masked),
        ("ldr", Role.LEADER): (masked, masked),
        ("ev", Role.EVALUATOR): (masked, masked),
        ("ops", Role.STACK_OPERATOR): (masked, masked),
    }
    for (subject, role), (for_plain, for_secret) in expected.items():
        headers = as_staff(stack, subject, role)
        seen = [
            (await stack.http("GET", f"{BASE}/{t['id']}", headers=headers)).json()["caller"] for t in (plain, secret)
        ]
        assert seen == [for_plain, for_secret], role
    refused = await stack.http("GET", f"{BASE}/{plain['id']}", headers=as_staff(stack, "d", Role.DISCLOSURE_OFFICER))
    assert refused.status_code == 403


async def test_caller_data_is_encrypted_at_rest(stack) -> None:  # type: ignore[no-untyped-def]
    await stack.http("POST", BASE, json=TICKET, headers=as_staff(stack, "op-1", Role.HOTLINE_OPERATOR))
    engine = create_engine(stack.settings.database_url("hotline"))
    try:
        async with engine.connect() as connection:
            row = (
                await connection.execute(
                    text("SELECT caller_name, caller_phone, caller_id_number, caller_email FROM tickets")
                )
            ).one()
    finally:
        await engine.dispose()
    for sealed, plain in zip(row, CALLER.values(), strict=True):
        assert plain.encode() not in bytes(sealed)


async def test_events_reach_the_stream_without_personal_data(stack, nats_client) -> None:  # type: ignore[no-untyped-def]
    operator = as_staff(stack, "op-1", Role.HOTLINE_OPERATOR)
    ticket = (await stack.http("POST", BASE, json=TICKET, headers=operator)).json()
    await step(stack, ticket["id"], operator, action="dispatch")
    await step(stack, ticket["id"], as_staff(stack, "cgj:li", Role.HANDLING_UNIT), action="sign")
    js = nats_client.jetstream()

    async def hotline_subjects() -> list[str]:
        return [m.subject for m in await stored_messages(js, "EVENTS") if ".hotline." in m.subject]

    await wait_until(lambda: _has(hotline_subjects, 3), within=30)
    assert await hotline_subjects() == [
        "sunshine.510100.hotline.ticket.accepted",
        "sunshine.510100.hotline.ticket.dispatched",
        "sunshine.510100.hotline.ticket.signed",
    ]
    for message in await stored_messages(js, "EVENTS"):
        payload = Envelope.FromString(message.data).payload
        for secret in (*CALLER.values(), TICKET["address"], TICKET["description"], "春熙路"):
            assert secret.encode() not in payload


async def _has(read, count: int) -> bool:  # type: ignore[no-untyped-def]
    return len(await read()) >= count
