"""A township records and answers requests through its gateway; the county's consolidated table 三 counts
them once they have come up the roll-up, next to the county's own, and a redelivered event changes nothing."""

from __future__ import annotations

from typing import Any

from nats.js import JetStreamContext
from sunshine.events.v1.disclosure_pb2 import DisclosureRequestAnswered
from sunshine.events.v1.envelope_pb2 import Envelope
from sunshine_kit.auth.principal import Role
from sunshine_kit.levels import EVENTS, ROLLUP
from sunshine_kit.testing.level_network import LevelNetwork
from sunshine_kit.testing.streams import stored_messages
from sunshine_kit.testing.waiting import wait_until

from tests.disclosure.helpers import APPLICANT, INTAKE
from tests.levels.conftest import COUNTY, TOWNSHIP_A
from tests.stack_in_process import InProcessStack

API = "/api/v1/disclosure"
REPORT = f"{API}/annual-reports/2026/consolidated"
ANSWERS_BELOW = "disclosure-requests-below-answered"


async def _received(stack: InProcessStack, received_on: str, applicant_type: str) -> str:
    body = {**INTAKE, "applicant": {**APPLICANT, "type": applicant_type}, "channel": "in_person"}
    officer = stack.token(Role.DISCLOSURE_OFFICER)
    reply = await stack.http(
        "POST", f"{API}/requests/received", json={**body, "received_on": received_on}, headers=officer
    )
    assert reply.status_code == 201, reply.text
    return reply.json()["request"]["id"]


async def _answer(stack: InProcessStack, request_id: str, on: str, outcome: str) -> None:
    body = {"action": "answer", "on": on, "outcome": outcome, "reason": "依法答复"}
    reply = await stack.http(
        "POST", f"{API}/requests/{request_id}/actions", json=body, headers=stack.token(Role.DISCLOSURE_OFFICER)
    )
    assert reply.status_code == 200, reply.text


async def _report(county: InProcessStack) -> dict[str, Any]:
    reply = await county.http("GET", REPORT, headers=county.token(Role.LEADER))
    assert reply.status_code == 200, reply.text
    return reply.json()


def _rows(document: dict[str, Any]) -> dict[str, list[int]]:
    return {row["key"]: row["values"] for row in document["table3"]["rows"]}


async def test_the_county_counts_the_townships_requests_once(
    network: LevelNetwork, county: InProcessStack, township: InProcessStack
) -> None:
    await _received(county, "2026-03-02", "natural_person")
    answered = await _received(township, "2026-02-13", "natural_person")
    await _answer(township, answered, "2026-03-02", "2")
    await _received(township, "2026-04-01", "research_institution")

    async def township_counted() -> bool:
        return {"division": TOWNSHIP_A, "requests": 2} in (await _report(county))["divisions"]

    await wait_until(township_counted, within=60)
    document = await _report(county)
    rows = _rows(document)
    assert rows["new"] == [2, 0, 1, 0, 0, 0, 3]
    assert rows["2"] == [1, 0, 0, 0, 0, 0, 1]
    assert rows["forward"] == [1, 0, 1, 0, 0, 0, 2]
    assert document["divisions"] == [{"division": COUNTY, "requests": 1}, {"division": TOWNSHIP_A, "requests": 2}]

    before = (await network[COUNTY].js.stream_info(ROLLUP)).state.last_seq
    await _publish_again(network[TOWNSHIP_A].js, DisclosureRequestAnswered.DESCRIPTOR.full_name)
    await wait_until(lambda: _answers_below_handled(network[COUNTY].js, before + 1), within=60)
    assert await _report(county) == document


async def _publish_again(js: JetStreamContext, payload_type: str) -> None:
    """The same envelope (same event id) stored again, without the Nats-Msg-Id that would let JetStream drop
    it: the county's consumer receives it a second time."""
    for message in await stored_messages(js, EVENTS):
        if Envelope.FromString(message.data).type == payload_type:
            await js.publish(message.subject, message.data, stream=EVENTS)
            return
    raise AssertionError(f"no {payload_type} in the township's {EVENTS}")


async def _answers_below_handled(js: JetStreamContext, sequence: int) -> bool:
    if (await js.stream_info(ROLLUP)).state.last_seq < sequence:
        return False
    info = await js.consumer_info(ROLLUP, ANSWERS_BELOW)
    return info.delivered.stream_seq >= sequence and info.num_pending == 0 and info.num_ack_pending == 0
