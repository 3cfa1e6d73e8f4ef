"""A township records and answers requests, publishes a normative document and enters (then corrects) its
figures through its gateway; the county's consolidated tables 二, 三 and 四 count them once they have come up the
roll-up, next to the county's own, list the divisions without figures, and a redelivered event changes nothing."""

from __future__ import annotations

from typing import Any

from nats.js import JetStreamContext
from sunshine.events.v1.disclosure_pb2 import DisclosureRequestAnswered, ReportFiguresRecorded
from sunshine.events.v1.envelope_pb2 import Envelope
from sunshine_kit.auth.principal import Role
from sunshine_kit.levels import EVENTS, ROLLUP
from sunshine_kit.testing.level_network import LevelNetwork
from sunshine_kit.testing.streams import stored_messages
from sunshine_kit.testing.waiting import wait_until

from tests.disclosure.helpers import APPLICANT, INTAKE
from tests.disclosure.test_catalogue_lifecycle_api import POLICY
from tests.levels.conftest import COUNTY, TOWNSHIP_A, TOWNSHIP_B
from tests.stack_in_process import InProcessStack

API = "/api/v1/disclosure"
REPORT = f"{API}/annual-reports/2026/consolidated"
ANSWERS_BELOW = "disclosure-requests-below-answered"
FIGURES_BELOW = "disclosure-figures-below"


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


async def _figures(stack: InProcessStack, licensing: int, review: list[int]) -> None:
    body = {"licensing_decisions": licensing, "fees_ten_thousand_yuan": "1.5", "review_and_litigation": review}
    officer = stack.token(Role.DISCLOSURE_OFFICER)
    reply = await stack.http("PUT", f"{API}/annual-reports/2026/figures", json=body, headers=officer)
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
    published = await township.http(
        "POST", f"{API}/catalogue", json=POLICY, headers=township.token(Role.DISCLOSURE_OFFICER)
    )
    assert published.status_code == 201, published.text
    await _figures(township, 5, [1, 0, 0, 0, 1] + [0] * 10)
    await _figures(township, 7, [1, 1, 0, 0, 2] + [0] * 10)  # the correction replaces the first

    async def township_counted() -> bool:
        document = await _report(county)
        return (
            {"division": TOWNSHIP_A, "requests": 2, "figures_entered": True} in document["divisions"]
            and document["table2"]["rows"]["行政许可"]["本年处理决定数量"] == 7
            and document["table2"]["rows"]["行政规范性文件"]["本年制发件数"] == 1
        )

    await wait_until(township_counted, within=60)
    document = await _report(county)
    rows = _rows(document)
    assert rows["new"] == [2, 0, 1, 0, 0, 0, 3]
    assert rows["2"] == [1, 0, 0, 0, 0, 0, 1]
    assert rows["forward"] == [1, 0, 1, 0, 0, 0, 2]
    assert document["table2"]["rows"]["行政规范性文件"] == {"本年制发件数": 1, "本年废止件数": 0, "现行有效件数": 1}
    assert document["table2"]["rows"]["行政事业性收费"] == {"本年收费金额（万元）": "1.5"}
    assert document["table4"]["groups"][0]["values"] == [1, 1, 0, 0, 2]
    assert document["divisions"] == [
        {"division": COUNTY, "requests": 1, "figures_entered": False},
        {"division": TOWNSHIP_A, "requests": 2, "figures_entered": True},
        {"division": TOWNSHIP_B, "requests": 0, "figures_entered": False},  # a configured child, silent so far
    ]
    assert document["figures_missing"] == [COUNTY, TOWNSHIP_B]

    js = network[COUNTY].js
    for payload, durable in ((DisclosureRequestAnswered, ANSWERS_BELOW), (ReportFiguresRecorded, FIGURES_BELOW)):
        before = (await js.stream_info(ROLLUP)).state.last_seq
        await _publish_again(network[TOWNSHIP_A].js, payload.DESCRIPTOR.full_name)  # the first figures: 5, not 7
        await wait_until(lambda: _handled(js, durable, before + 1), within=60)  # noqa: B023
    assert await _report(county) == document


async def _publish_again(js: JetStreamContext, payload_type: str) -> None:
    """The same envelope (same event id) stored again, without the Nats-Msg-Id that would let JetStream drop
    it: the county's consumer receives it a second time."""
    for message in await stored_messages(js, EVENTS):
        if Envelope.FromString(message.data).type == payload_type:
            await js.publish(message.subject, message.data, stream=EVENTS)
            return
    raise AssertionError(f"no {payload_type} in the township's {EVENTS}")


async def _handled(js: JetStreamContext, durable: str, sequence: int) -> bool:
    if (await js.stream_info(ROLLUP)).state.last_seq < sequence:
        return False
    info = await js.consumer_info(ROLLUP, durable)
    return info.delivered.stream_seq >= sequence and info.num_pending == 0 and info.num_ack_pending == 0
