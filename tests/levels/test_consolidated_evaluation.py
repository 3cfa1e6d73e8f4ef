"""Leadership at the city sees the townships' intake, consolidated from the roll-up."""

from __future__ import annotations

from sunshine_kit.auth.principal import Role
from sunshine_kit.testing.level_network import LevelNetwork
from sunshine_kit.testing.waiting import wait_until

from tests.levels.conftest import CITY, COUNTY, TOWNSHIP_A, TOWNSHIP_B
from tests.levels.sync_checks import publish_all, ticket_events
from tests.stack_in_process import in_process_stack


async def test_city_intake_counts_include_every_township_below(network: LevelNetwork, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    await publish_all(network[TOWNSHIP_A].js, ticket_events(network[TOWNSHIP_A].identity, 3))
    await publish_all(network[TOWNSHIP_B].js, ticket_events(network[TOWNSHIP_B].identity, 2))
    city = {"division": CITY, "level": "city", "children": [{"division": COUNTY, "name": "示例区"}]}
    async with in_process_stack(network[CITY].server.url, tmp_path / "city", monkeypatch, **city) as stack:
        leader = stack.token(Role.LEADER)

        async def counted() -> bool:
            reply = await stack.http("GET", "/api/v1/evaluation/intake-counts", headers=leader)
            return {c["division"]: c["count"] for c in reply.json()} == {TOWNSHIP_A: 3, TOWNSHIP_B: 2}

        await wait_until(counted, within=30)
        one_township = await stack.http(
            "GET", "/api/v1/evaluation/intake-counts", params={"division": TOWNSHIP_B}, headers=leader
        )
        assert [c["division"] for c in one_township.json()] == [TOWNSHIP_B]
        sideways = stack.token(Role.LEADER, division=TOWNSHIP_A)
        refused = await stack.http(
            "GET", "/api/v1/evaluation/intake-counts", params={"division": TOWNSHIP_B}, headers=sideways
        )
        assert refused.status_code == 403
