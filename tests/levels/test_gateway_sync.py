"""The gateway's view of the level links: sync status for staff, and readiness that a child cannot spoil."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from sunshine_kit.auth.principal import Role
from sunshine_kit.testing.level_network import LevelNetwork

from tests.levels.conftest import COUNTY, TOWNSHIP_A, TOWNSHIP_B
from tests.stack_in_process import InProcessStack, in_process_stack


@pytest.fixture
async def county_stack(network: LevelNetwork, tmp_path, monkeypatch) -> AsyncIterator[InProcessStack]:  # type: ignore[no-untyped-def]
    county = network[COUNTY].identity
    children = [{"division": c.division, "name": c.name} for c in county.children]
    settings = {"division": COUNTY, "level": "county", "parent_division": county.parent_division, "children": children}
    async with in_process_stack(network[COUNTY].server.url, tmp_path / "county", monkeypatch, **settings) as stack:
        yield stack


async def test_a_township_going_down_leaves_the_county_ready_and_shows_in_sync_status(
    network: LevelNetwork, county_stack: InProcessStack
) -> None:
    network[TOWNSHIP_A].server.kill()
    assert (await county_stack.http("GET", "/readyz")).status_code == 200

    reply = await county_stack.http("GET", "/api/v1/sync/status", headers=county_stack.token(Role.STACK_OPERATOR))
    assert reply.status_code == 200
    children = {c["division"]: c for c in reply.json()["children"]}
    assert (children[TOWNSHIP_A]["reachable"], children[TOWNSHIP_A]["active"]) == (False, False)
    assert "its NATS server is down, or the link to it is cut" in children[TOWNSHIP_A]["problem"]
    assert "Error" not in children[TOWNSHIP_A]["problem"]
    assert children[TOWNSHIP_B]["reachable"] and children[TOWNSHIP_B]["behind"] == 0
    assert reply.json()["inbox"]["parent"] == "510100"


async def test_sync_status_is_for_stack_operators_and_leaders_of_this_stack(county_stack: InProcessStack) -> None:
    path = "/api/v1/sync/status"
    assert (await county_stack.http("GET", path)).status_code == 401
    assert (await county_stack.http("GET", path, headers=county_stack.token(Role.HOTLINE_OPERATOR))).status_code == 403
    township_operator = county_stack.token(Role.STACK_OPERATOR, division=TOWNSHIP_A)
    assert (await county_stack.http("GET", path, headers=township_operator)).status_code == 403
    assert (await county_stack.http("GET", path, headers=county_stack.token(Role.LEADER))).status_code == 200


async def test_sync_status_says_in_plain_words_that_a_township_hangs(
    network: LevelNetwork, county_stack: InProcessStack
) -> None:
    reply = await _status_while_hung(network, TOWNSHIP_A, county_stack)

    assert reply.status_code == 200, reply.text
    township = next(c for c in reply.json()["children"] if c["division"] == TOWNSHIP_A)
    assert not township["reachable"]
    assert "did not answer within 1s: it is hung or overloaded" in township["problem"]


async def test_sync_status_is_unavailable_in_plain_words_while_the_stacks_own_nats_hangs(
    network: LevelNetwork, county_stack: InProcessStack
) -> None:
    reply = await _status_while_hung(network, COUNTY, county_stack)

    assert reply.status_code == 503, reply.text
    assert "this stack's NATS server" in reply.json()["error"]["message"]


async def _status_while_hung(network: LevelNetwork, division: str, county_stack: InProcessStack):  # type: ignore[no-untyped-def]
    """The county's sync status while the nats-server of `division` hangs (SIGSTOP)."""
    network[division].server.pause()
    try:
        return await county_stack.http("GET", "/api/v1/sync/status", headers=county_stack.token(Role.STACK_OPERATOR))
    finally:
        network[division].server.resume()
