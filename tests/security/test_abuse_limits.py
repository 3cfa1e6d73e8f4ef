"""Abuse of the public endpoints on a running township stack: rate limits per client and per ticket number,
follow-ups that do the same work whether a number exists or not, and intake bound to its channel's door."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import event
from sunshine_kit.auth import Role

from tests.security.conftest import OWN, township_fixture, who
from tests.stack_in_process import InProcessStack

pytestmark = pytest.mark.asyncio(loop_scope="module")

LIMITS = {
    "SUNSHINE_GATEWAY_FOLLOW_ATTEMPTS_PER_MINUTE": "3",
    "SUNSHINE_GATEWAY_FOLLOW_ATTEMPTS_PER_NUMBER_PER_HOUR": "5",
    "SUNSHINE_GATEWAY_SUBMISSIONS_PER_MINUTE": "100",
    "SUNSHINE_GATEWAY_PUBLIC_READS_PER_MINUTE": "100",
}
FOLLOW = "/api/v1/hotline/public/follow"
TICKET = {
    "category": "complaint",
    "topic": "环境卫生",
    "channel": "web",
    "place_division": OWN,
    "address": "棠湖路 18 号",
    "description": "垃圾无人清运",
}


stack = township_fixture("abuse", **LIMITS)


async def from_client(stack: InProcessStack, address: str, path: str, body: dict[str, str]):  # type: ignore[no-untyped-def]
    """A POST from another client address, through the running gateway's event loop (its service channels)."""
    client = TestClient(stack.gateway.app, client=(address, 40000))  # type: ignore[attr-defined]
    client.portal = stack.gateway.portal
    return await asyncio.to_thread(client.post, path, json=body)


async def submitted(stack: InProcessStack) -> dict[str, str]:
    reply = await stack.http("POST", "/api/v1/hotline/public/tickets", json=TICKET)
    assert reply.status_code == 201, reply.text
    return {"number": reply.json()["ticket"]["number"], "code": reply.json()["code"]}


async def test_wrong_codes_from_one_client_are_stopped_with_retry_after(stack: InProcessStack) -> None:
    ticket = await submitted(stack)
    wrong = {**ticket, "code": "WRONG123"}
    answers = [await from_client(stack, "198.51.100.7", FOLLOW, wrong) for _ in range(4)]
    assert [a.status_code for a in answers] == [404, 404, 404, 429]
    assert int(answers[-1].headers["retry-after"]) >= 1
    assert answers[-1].json()["error"]["code"] == "RESOURCE_EXHAUSTED"


async def test_one_ticket_number_is_guarded_whatever_the_client(stack: InProcessStack) -> None:
    ticket = await submitted(stack)
    wrong = {**ticket, "code": "WRONG123"}
    statuses = [(await from_client(stack, f"203.0.113.{n}", FOLLOW, wrong)).status_code for n in range(5)]
    assert statuses == [404] * 5
    # The sixth attempt on this number is refused, even with the right code and from a new client.
    assert (await from_client(stack, "203.0.113.99", FOLLOW, ticket)).status_code == 429
    other = await submitted(stack)
    assert (await from_client(stack, "203.0.113.99", FOLLOW, other)).status_code == 200


@contextmanager
def statements_of(stack: InProcessStack) -> Iterator[list[str]]:
    engine = stack.runtimes["hotline"].engine.sync_engine
    seen: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany) -> None:  # type: ignore[no-untyped-def]
        if "ticket" in statement:  # the outbox relay works in the background meanwhile
            seen.append(" ".join(statement.split()))

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", record)


async def test_an_unknown_number_and_a_wrong_code_do_the_same_work(stack: InProcessStack) -> None:
    ticket = await submitted(stack)
    cases = {
        "unknown number": {"number": "2026120300000000", "code": ticket["code"]},
        "wrong code": {**ticket, "code": "WRONG123"},
        "right code": ticket,
    }
    work = {}
    for name, body in cases.items():
        with statements_of(stack) as seen:
            reply = await from_client(stack, f"192.0.2.{len(work)}", FOLLOW, body)
        work[name] = (reply.status_code, seen)
    assert work["unknown number"] == work["wrong code"]
    assert work["unknown number"][0] == 404
    assert work["right code"][0] == 200 and len(work["right code"][1]) > len(work["wrong code"][1])


async def test_public_intake_cannot_claim_the_open311_channel(stack: InProcessStack) -> None:
    listed_before = await stack.http("GET", "/open311/v2/requests.json")
    reply = await stack.http("POST", "/api/v1/hotline/public/tickets", json={**TICKET, "channel": "open311"})
    assert reply.status_code == 400
    assert reply.json()["error"]["field_violations"][0]["field"] == "channel"
    assert (await stack.http("GET", "/open311/v2/requests.json")).json() == listed_before.json()
    listed = await stack.http("GET", "/api/v1/hotline/tickets", headers=who(OWN, Role.HOTLINE_OPERATOR).headers(stack))
    assert [t["channel"] for t in listed.json() if t["channel"] == "open311"] == []


async def test_a_negative_list_limit_is_refused_not_taken_as_no_limit(stack: InProcessStack) -> None:
    operator = who(OWN, Role.HOTLINE_OPERATOR).headers(stack)
    refused = await stack.http("GET", "/api/v1/hotline/tickets", params={"limit": -5}, headers=operator)
    assert refused.status_code == 400
    assert refused.json()["error"]["field_violations"][0]["field"] == "limit"
    assert (
        await stack.http("GET", "/api/v1/hotline/tickets", params={"limit": 1}, headers=operator)
    ).status_code == 200
