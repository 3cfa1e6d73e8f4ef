"""A county hotline hands a ticket down to a township, which handles it with its own units; the county sees
every step come back. Real nats-servers per level; the county's and the township's services in process."""

from __future__ import annotations

import asyncio

from hotline.entrypoints.level_consumers import HANDED_DOWN
from nats.js import JetStreamContext
from sunshine.events.v1.envelope_pb2 import Envelope
from sunshine_kit.envelope import Event, new_event_id
from sunshine_kit.jetstream import publish_event
from sunshine_kit.levels import DISPATCH, DISPATCH_INBOX
from sunshine_kit.testing.level_network import LevelNetwork
from sunshine_kit.testing.streams import stored_messages
from sunshine_kit.testing.waiting import wait_until

from tests.hotline_levels.round_trip import (
    BASE,
    TOWNSHIP_MATTER,
    accept,
    hand_down,
    handle,
    operator,
    received,
    step,
    ticket_once,
)
from tests.levels.conftest import COUNTY, TOWNSHIP_A
from tests.stack_in_process import InProcessStack

BELOW_STEPS = ["below_accepted", "below_dispatched", "below_signed", "below_handling", "below_answered"]


async def test_the_township_handles_a_handed_down_ticket_and_the_county_sees_each_step(
    county: InProcessStack, township: InProcessStack
) -> None:
    origin = await accept(county, TOWNSHIP_A)
    handed = await hand_down(county, origin["id"], TOWNSHIP_A)
    assert (handed["state"], handed["lead_unit"]) == ("下派", f"stack-{TOWNSHIP_A}")

    local = await received(township, origin["id"])
    assert (local["state"], local["channel"], local["origin_division"]) == ("受理", "parent", COUNTY)
    assert (local["origin_ticket_number"], local["due_at"]) == (origin["number"], origin["due_at"])
    assert (local["address"], local["description"]) == (TOWNSHIP_MATTER["address"], TOWNSHIP_MATTER["description"])
    caller = TOWNSHIP_MATTER["caller"]
    assert local["caller"] == {"name": caller["name"], "phone": caller["phone"], "id_number": "", "email": ""}

    await handle(township, local["id"], answer="已上门调解，双方约定晚十点后停止施工")
    closed = await ticket_once(county, origin["id"], lambda t: t["state"] == "办结")
    # The answer's reply (below_replied) travels apart from the roll-up and may come before or after.
    below = [
        h["action"] for h in closed["history"] if h["action"].startswith("below_") and h["action"] != "below_replied"
    ]
    assert below == [*BELOW_STEPS, "below_closed"]
    assert closed["below_state"] == "CLOSED" and closed["closed_at"]
    assert {h["actor_id"] for h in closed["history"] if h["action"] == "below_signed"} == {f"stack-{TOWNSHIP_A}:jd001"}

    callback = await step(county, origin["id"], operator(county), action="callback", satisfaction="SATISFIED")
    assert callback.status_code == 200 and callback.json()["state"] == "回访", callback.text


async def test_a_ticket_handed_down_while_the_township_is_offline_arrives_when_it_returns(
    network: LevelNetwork, county: InProcessStack, township: InProcessStack
) -> None:
    node = network[TOWNSHIP_A]
    node.server.kill()
    origin = await accept(county, TOWNSHIP_A)
    assert (await hand_down(county, origin["id"], TOWNSHIP_A))["state"] == "下派"
    await asyncio.to_thread(node.server.start)

    local = await received(township, origin["id"], within=60)
    unit = {"action": "dispatch", "lead_unit": "jd001"}
    assert (await step(township, local["id"], operator(township), **unit)).status_code == 200
    shown = await ticket_once(county, origin["id"], lambda t: t["below_state"] == "DISPATCHED", within=60)
    assert shown["state"] == "下派"

    await send_again_as_a_new_event(network[COUNTY].js)
    await wait_until(lambda: handled_all(node.js, 2))
    tickets = (await township.http("GET", BASE, headers=operator(township))).json()
    assert [t["origin_ticket_id"] for t in tickets] == [origin["id"]], "one ticket per origin ticket"


async def send_again_as_a_new_event(js: JetStreamContext) -> None:
    """The same work under a new event id, which the inbox alone would not recognise."""
    [stored] = await stored_messages(js, DISPATCH)
    envelope = Envelope.FromString(stored.data)
    envelope.id = new_event_id()
    await publish_event(js, Event(stored.subject, envelope), headers={})


async def handled_all(js: JetStreamContext, count: int) -> bool:
    info = await js.consumer_info(DISPATCH_INBOX, HANDED_DOWN)
    return info.delivered.stream_seq >= count and info.num_pending == 0 and info.num_ack_pending == 0


async def test_a_department_matter_is_not_handed_down_to_a_township(
    network: LevelNetwork, county: InProcessStack
) -> None:
    origin = await accept(county, TOWNSHIP_A, topic="环境卫生", description="小区门口垃圾堆放三天无人清运")
    refused = await step(county, origin["id"], operator(county), action="dispatch", lead_unit=f"stack-{TOWNSHIP_A}")
    assert refused.status_code == 400
    assert "不得下派乡镇" in refused.json()["error"]["message"]
    assert (await ticket_once(county, origin["id"], lambda t: True))["state"] == "受理"
    assert (await network[COUNTY].js.stream_info(DISPATCH)).state.messages == 0
