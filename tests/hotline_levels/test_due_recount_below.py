"""The official arrangement arrives while a ticket is handed down: the county counts its due time again and sends
it down, and the township's copy takes it (history entry by the county, event, no longer provisional). Real
nats-servers per level; the county's and the township's services in process, on one override file and one clock.
The arrangement is illustrative test data, not the State Council's 2027 schedule."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from sunshine.events.v1 import hotline_pb2 as events
from sunshine_kit.envelope import unpack
from sunshine_kit.testing.level_network import LevelNetwork

from tests.disclosure.helpers import events_of
from tests.hotline_levels.round_trip import accept, hand_down, received, ticket_once
from tests.levels.conftest import COUNTY, TOWNSHIP_A
from tests.stack_in_process import InProcessStack

# Provisional 2027: 02-05..02-10 off. The arrangement also gives 02-11 and 02-12 off.
ARRANGEMENT = {
    "2027": {"holidays": ["2027-01-01", *(f"2027-02-{d:02d}" for d in range(5, 13))], "working_weekends": []}
}
PROVISIONAL_DUE, OFFICIAL_DUE = "2027-02-12T15:59:59Z", "2027-02-16T15:59:59Z"  # 23:59:59 China time


@pytest.fixture
def override(tmp_path, monkeypatch):  # type: ignore[no-untyped-def]
    path = tmp_path / "calendar-override.json"
    path.write_text("{}")
    monkeypatch.setenv("SUNSHINE_CALENDAR_OVERRIDE_FILE", str(path))
    monkeypatch.setenv("SUNSHINE_CALENDAR_CHECK_INTERVAL_S", "0.2")
    # Wednesday 2027-02-03, 09:00 in China, for both stacks.
    monkeypatch.setattr("hotline.main.utc_now", lambda: datetime(2027, 2, 3, 1, tzinfo=UTC))
    return path


@pytest.fixture
async def county(override, county):  # type: ignore[no-untyped-def]
    return county


async def test_the_township_takes_the_due_time_the_county_counted_again(
    network: LevelNetwork, override, county: InProcessStack, township: InProcessStack
) -> None:
    origin = await accept(county, TOWNSHIP_A)  # 求助: 3 working days, 02-04, then 02-11 and 02-12
    assert (origin["due_at"], origin["due_at_provisional"]) == (PROVISIONAL_DUE, True)
    await hand_down(county, origin["id"], TOWNSHIP_A)
    local = await received(township, origin["id"])
    assert (local["due_at"], local["due_at_provisional"]) == (PROVISIONAL_DUE, True)

    override.write_text(json.dumps(ARRANGEMENT))

    recounted = await ticket_once(township, local["id"], lambda t: t["due_at"] == OFFICIAL_DUE)
    assert (recounted["due_at_provisional"], recounted["provisional_note"]) == (False, "")
    entry = recounted["history"][-1]
    assert (entry["action"], entry["actor_id"]) == ("recompute_due", f"stack-{COUNTY}")
    at_county = await ticket_once(county, origin["id"], lambda t: t["due_at"] == OFFICIAL_DUE)
    assert (at_county["state"], at_county["due_at_provisional"]) == ("下派", False)

    [moved] = await events_of(network[TOWNSHIP_A].js, "sunshine.events.v1.TicketDueRecomputed", 1)
    payload = unpack(moved, events.TicketDueRecomputed)
    assert (payload.ticket_id, payload.due_at_provisional) == (local["id"], False)
