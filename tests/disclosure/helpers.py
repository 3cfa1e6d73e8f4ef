"""Shared by the disclosure integration tests."""

from __future__ import annotations

from typing import Any

from nats.js import JetStreamContext
from sunshine.events.v1.envelope_pb2 import Envelope
from sunshine_kit.auth.principal import Role
from sunshine_kit.testing.streams import stored_messages
from sunshine_kit.testing.waiting import wait_until

APPLICANT = {
    "type": "natural_person",
    "name": "王小红",
    "phone": "13987654321",
    "id_number": "510104198805051234",
    "address": "四川省成都市锦江区某路8号",
}
INTAKE = {"applicant": APPLICANT, "description": "2025年本区老旧小区改造资金使用明细"}
PERSONAL = (*(v for k, v in APPLICANT.items() if k != "type"), INTAKE["description"])


async def events_of(js: JetStreamContext, type_prefix: str, count: int) -> list[Envelope]:
    """Waits until the stack's stream holds `count` envelopes of types starting with the prefix; returns them."""
    found: list[Envelope] = []

    async def arrived() -> bool:
        found.clear()
        for message in await stored_messages(js, "EVENTS"):
            envelope = Envelope()
            envelope.ParseFromString(message.data)
            if envelope.type.startswith(type_prefix):
                found.append(envelope)
        return len(found) >= count

    await wait_until(arrived, within=30)
    return list(found)


async def as_officer(stack, method: str, path: str, body: object = None, status: int = 200) -> Any:  # type: ignore[no-untyped-def]
    """A disclosure officer's call through the gateway, answered with `status`; its JSON body."""
    reply = await stack.http(method, path, json=body, headers=stack.token(Role.DISCLOSURE_OFFICER))
    assert reply.status_code == status, reply.text
    return reply.json()


async def received_in_person(stack, received_on: str) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    """Staff intake of INTAKE, received in person on `received_on`: the request and its secret code."""
    body = {**INTAKE, "channel": "in_person", "received_on": received_on}
    return await as_officer(stack, "POST", "/api/v1/disclosure/requests/received", body, 201)  # type: ignore[no-any-return]
