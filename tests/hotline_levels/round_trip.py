"""A hotline ticket's trip between two levels through the REST APIs: the origin takes and hands it down, the
child handles it with its own units, the origin watches it come back."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta
from typing import Any

from sunshine_kit.auth.principal import Role
from sunshine_kit.testing.level_network import LevelNetwork
from sunshine_kit.testing.waiting import wait_until

from tests.stack_in_process import InProcessStack, in_process_stack

BASE = "/api/v1/hotline/tickets"
# 邻里纠纷: a matter the sample catalogue gives to a township, so it may be handed down to one.
TOWNSHIP_MATTER = {
    "category": "help",
    "topic": "邻里纠纷",
    "channel": "phone",
    "address": "示例路8号2单元",
    "description": "楼上邻居装修噪声持续到深夜，协商无果，请求调解",
    "caller": {"name": "王五", "phone": "13900001111", "id_number": "510117199001011234"},
}
TOWNSHIP_UNIT = "jd001"  # the sample catalogue's 街道 unit, which leads 邻里纠纷


@asynccontextmanager
async def stack_of(network: LevelNetwork, division: str, tmp_path, monkeypatch) -> AsyncIterator[InProcessStack]:  # type: ignore[no-untyped-def]
    identity = network[division].identity
    settings = {
        "division": division,
        "level": identity.level.value,
        "parent_division": identity.parent_division,
        "children": [{"division": c.division, "name": c.name} for c in identity.children],
    }
    async with in_process_stack(network[division].server.url, tmp_path / division, monkeypatch, **settings) as stack:
        yield stack


def staff(stack: InProcessStack, subject: str, role: Role) -> dict[str, str]:
    token = stack.issuer.issue(subject, [role], stack.settings.division, timedelta(minutes=10))
    return {"Authorization": f"Bearer {token}"}


def operator(stack: InProcessStack) -> dict[str, str]:
    return staff(stack, f"op-{stack.settings.division}", Role.HOTLINE_OPERATOR)


async def accept(stack: InProcessStack, place_division: str, **changes: Any) -> dict[str, Any]:
    ticket = {**TOWNSHIP_MATTER, "place_division": place_division, **changes}
    reply = await stack.http("POST", BASE, json=ticket, headers=operator(stack))
    assert reply.status_code == 201, reply.text
    return reply.json()


async def step(stack: InProcessStack, ticket_id: str, headers: dict[str, str], **body: Any):  # type: ignore[no-untyped-def]
    return await stack.http("POST", f"{BASE}/{ticket_id}/transitions", json=body, headers=headers)


async def hand_down(origin: InProcessStack, ticket_id: str, child: str) -> dict[str, Any]:
    reply = await step(origin, ticket_id, operator(origin), action="dispatch", lead_unit=f"stack-{child}")
    assert reply.status_code == 200, reply.text
    return reply.json()


async def received(child: InProcessStack, origin_ticket_id: str, within: float = 30) -> dict[str, Any]:
    """The child's own ticket for the handed-down one, once it has arrived, as its operator reads it (lists mask
    callers)."""
    found: list[dict[str, Any]] = []

    async def arrived() -> bool:
        reply = await child.http("GET", BASE, headers=operator(child))
        found[:] = [t for t in reply.json() if t["origin_ticket_id"] == origin_ticket_id]
        return bool(found)

    await wait_until(arrived, within=within)
    reply = await child.http("GET", f"{BASE}/{found[0]['id']}", headers=operator(child))
    return reply.json()


async def handle(child: InProcessStack, ticket_id: str, answer: str) -> None:
    """The child's closed loop with its own unit: 派单, 签收, 办理, 答复, 审核 (approved) → 办结."""
    unit = staff(child, f"{TOWNSHIP_UNIT}:li", Role.HANDLING_UNIT)
    for headers, body in [
        (operator(child), {"action": "dispatch", "lead_unit": TOWNSHIP_UNIT}),
        (unit, {"action": "sign"}),
        (unit, {"action": "start"}),
        (unit, {"action": "answer", "answer": answer}),
        (operator(child), {"action": "review", "approved": True}),
    ]:
        reply = await step(child, ticket_id, headers, **body)
        assert reply.status_code == 200, (body, reply.text)


async def ticket_once(stack: InProcessStack, ticket_id: str, condition, within: float = 30) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    """The ticket as soon as `condition(ticket)` holds."""
    seen: dict[str, Any] = {}

    async def holds() -> bool:
        seen.update((await stack.http("GET", f"{BASE}/{ticket_id}", headers=operator(stack))).json())
        return bool(condition(seen))

    await wait_until(holds, within=within)
    return seen
