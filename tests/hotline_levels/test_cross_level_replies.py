"""The county acts on a ticket it handed down (催办, 督办, 重办) and the township's answer comes back to it through
the reply channel, never up the roll-up. Real nats-servers per level; the county's and the township's services
in process, started once for the module."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import pytest
import pytest_asyncio
from sunshine_kit.auth.principal import Role
from sunshine_kit.levels import REPLY_INBOX, ROLLUP
from sunshine_kit.testing.level_network import LevelNetwork
from sunshine_kit.testing.streams import stored_messages

from tests.hotline_levels.round_trip import (
    TOWNSHIP_UNIT,
    accept,
    hand_down,
    operator,
    received,
    stack_of,
    staff,
    step,
    ticket_once,
)
from tests.levels.conftest import CITY, COUNTY, TOWNSHIP_A, _running
from tests.stack_in_process import InProcessStack

pytestmark = pytest.mark.asyncio(loop_scope="module")
# In the answer: a marker that must never reach the roll-up, and a name, as a real answer may carry one.
MARKER = "答复标记-7f3c9a"
ANSWER = f"已上门调解，王五与楼上住户约定晚十点后停止施工（{MARKER}）"


@dataclass
class Hierarchy:
    network: LevelNetwork
    county: InProcessStack
    township: InProcessStack


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def levels(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Hierarchy]:
    tmp_path = tmp_path_factory.mktemp("replies")
    with pytest.MonkeyPatch.context() as monkeypatch:
        async for network in _running(tmp_path, proxied_links=False):
            async with (
                stack_of(network, COUNTY, tmp_path, monkeypatch) as county,
                stack_of(network, TOWNSHIP_A, tmp_path, monkeypatch) as township,
            ):
                yield Hierarchy(network, county, township)


def unit(township: InProcessStack) -> dict[str, str]:
    return staff(township, f"{TOWNSHIP_UNIT}:li", Role.HANDLING_UNIT)


async def taken_below(levels: Hierarchy) -> tuple[dict[str, Any], dict[str, Any]]:
    """A county ticket handed down, and the township's ticket for it once it arrived."""
    origin = await accept(levels.county, TOWNSHIP_A)
    await hand_down(levels.county, origin["id"], TOWNSHIP_A)
    return origin, await received(levels.township, origin["id"])


async def ok(stack: InProcessStack, ticket_id: str, headers: dict[str, str], **body: Any) -> dict[str, Any]:
    reply = await step(stack, ticket_id, headers, **body)
    assert reply.status_code == 200, (body, reply.text)
    return reply.json()


def actions(ticket: dict[str, Any]) -> list[str]:
    return [h["action"] for h in ticket["history"]]


async def test_urged_below_answered_back_reopened_below_and_the_answer_never_goes_up(levels: Hierarchy) -> None:
    county, township = levels.county, levels.township
    origin, local = await taken_below(levels)
    await ok(township, local["id"], operator(township), action="dispatch", lead_unit=TOWNSHIP_UNIT)

    await ok(county, origin["id"], operator(county), action="urge", note="群众来电催问")
    leader = staff(county, f"leader-{COUNTY}", Role.LEADER)
    await ok(county, origin["id"], leader, action="supervise", note="挂牌督办")
    pressed = await ticket_once(township, local["id"], lambda t: "supervise" in actions(t))
    urged = [h for h in pressed["history"] if h["action"] in ("urge", "supervise")]
    assert [(h["action"], h["actor"], h["actor_id"], h["note"]) for h in urged] == [
        ("urge", "hotline_operator", f"stack-{COUNTY}:op-{COUNTY}", "群众来电催问"),
        ("supervise", "leader", f"stack-{COUNTY}:leader-{COUNTY}", "挂牌督办"),
    ]
    assert pressed["urge_count"] == 1

    await ok(township, local["id"], unit(township), action="sign")
    await ok(township, local["id"], unit(township), action="start")
    await ok(township, local["id"], unit(township), action="answer", answer=ANSWER)
    await ok(township, local["id"], operator(township), action="review", approved=True, note="答复完整")
    answered = await ticket_once(county, origin["id"], lambda t: t["state"] == "办结" and t["answer"])
    assert answered["answer"] == ANSWER
    [replied] = [h for h in answered["history"] if h["action"] == "below_replied"]
    assert (replied["actor_id"], replied["note"]) == (f"stack-{TOWNSHIP_A}:{TOWNSHIP_UNIT}", "答复完整")

    await ok(county, origin["id"], operator(county), action="callback", satisfaction="UNSATISFIED")
    reopened = await ok(county, origin["id"], operator(county), action="reopen", note="噪声仍在")
    assert (reopened["state"], reopened["reopen_count"]) == ("下派", 1)
    again = await ticket_once(township, local["id"], lambda t: t["reopen_count"] == 1)
    assert (again["state"], again["lead_unit"], again["due_at"]) == ("派单", TOWNSHIP_UNIT, reopened["due_at"])
    assert actions(again)[-1] == "reopen_from_above"
    followed = await ticket_once(county, origin["id"], lambda t: t["below_state"] == "DISPATCHED")
    assert followed["state"] == "下派"

    await handle_again(township, local["id"], "已责令施工方整改，噪声已消除")
    closed = await ticket_once(county, origin["id"], lambda t: t["answer"] == "已责令施工方整改，噪声已消除")
    assert closed["state"] == "办结"

    replies = b"".join(m.data for m in await stored_messages(levels.network[COUNTY].js, REPLY_INBOX))
    assert MARKER.encode() in replies, "the answer travels in the reply channel"
    for division in (CITY, COUNTY):
        rolled_up = b"".join(m.data for m in await stored_messages(levels.network[division].js, ROLLUP))
        assert MARKER.encode() not in rolled_up, f"the answer reached the roll-up of {division}"


async def handle_again(township: InProcessStack, ticket_id: str, answer: str) -> None:
    for headers, body in [
        (unit(township), {"action": "sign"}),
        (unit(township), {"action": "start"}),
        (unit(township), {"action": "answer", "answer": answer}),
        (operator(township), {"action": "review", "approved": True}),
    ]:
        await ok(township, ticket_id, headers, **body)


async def test_urging_before_the_township_dispatched_comes_back_refused(levels: Hierarchy) -> None:
    county, township = levels.county, levels.township
    origin, local = await taken_below(levels)
    await ok(county, origin["id"], operator(county), action="urge")
    refused = await ticket_once(county, origin["id"], lambda t: "below_refused" in actions(t))
    [entry] = [h for h in refused["history"] if h["action"] == "below_refused"]
    assert (entry["actor_id"], entry["note"]) == (f"stack-{TOWNSHIP_A}", "cannot urge in state 受理")
    shown = await ticket_once(township, local["id"], lambda t: True)
    assert (shown["state"], shown["urge_count"]) == ("受理", 0)
