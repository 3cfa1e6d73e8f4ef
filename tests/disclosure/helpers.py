"""Shared by the disclosure integration tests."""

from __future__ import annotations

from nats.js import JetStreamContext
from sunshine.events.v1.envelope_pb2 import Envelope
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
