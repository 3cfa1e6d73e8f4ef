"""The official 2027 arrangement arrives while the stack runs: the operator writes it into the override file and,
without a restart, the services count again exactly the open cases whose dates were provisional, with their
events and history, and withdraw the overdue flags raised from provisional dates that moved later. Disclosure
on SQLite and PostgreSQL; the arrangement is illustrative test data, not the State Council's 2027 schedule.

Provisional 2027: 02-05 (除夕) to 02-10 off (make-up days 02-09, 02-10). The arrangement: 02-11 and 02-12 off too.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from sunshine.events.v1 import disclosure_pb2 as events
from sunshine.events.v1 import hotline_pb2 as hotline_events
from sunshine_kit.auth.principal import Role
from sunshine_kit.envelope import unpack
from sunshine_kit.testing.calendars import corrected
from sunshine_kit.testing.waiting import wait_until

from tests.disclosure.helpers import as_officer, events_of, received_in_person
from tests.disclosure.test_catalogue_lifecycle_api import POLICY
from tests.hotline.conftest import as_staff
from tests.hotline.test_closed_loop import BASE as TICKETS
from tests.hotline.test_closed_loop import TICKET

API = "/api/v1/disclosure"
ARRANGEMENT = {
    "2027": {"holidays": ["2027-01-01", *(f"2027-02-{d:02d}" for d in range(5, 13))], "working_weekends": []}
}


class Clock:
    def __init__(self, month: int, day: int) -> None:
        self.set(month, day)

    def __call__(self) -> datetime:
        return self.now

    def set(self, month: int, day: int) -> None:
        self.now = datetime(2027, month, day, 1, tzinfo=UTC)  # 09:00 in China


@pytest.fixture
def override(tmp_path_factory, monkeypatch):  # type: ignore[no-untyped-def]
    path = tmp_path_factory.mktemp("calendar") / "calendar-override.json"
    path.write_text("{}")
    monkeypatch.setenv("SUNSHINE_CALENDAR_OVERRIDE_FILE", str(path))
    monkeypatch.setenv("SUNSHINE_CALENDAR_CHECK_INTERVAL_S", "0.2")
    return path


@pytest.fixture
def clocks(monkeypatch) -> dict[str, Clock]:  # type: ignore[no-untyped-def]
    clocks = {"disclosure": Clock(1, 20), "hotline": Clock(2, 3)}
    for service, clock in clocks.items():
        monkeypatch.setattr(f"{service}.main.utc_now", clock)
    return clocks


@pytest.fixture
async def stack(override, clocks, stack):  # type: ignore[no-untyped-def]
    """The conftest's stack, built on the test's override file and clocks."""
    return stack


async def _received(stack, received_on: str) -> dict:  # type: ignore[no-untyped-def]
    return (await received_in_person(stack, received_on))["request"]  # type: ignore[no-any-return]


async def test_the_arrangement_recomputes_exactly_the_provisional_open_cases(stack, js, override, clocks) -> None:  # type: ignore[no-untyped-def]
    provisional = await _received(stack, "2027-01-20")
    assert (provisional["due_on"], provisional["due_on_provisional"]) == ("2027-02-23", True)
    official = await _received(stack, "2026-11-02")
    answered = await _received(stack, "2027-01-20")
    await as_officer(stack, "POST", f"{API}/requests/{answered['id']}/actions", {"action": "answer", "outcome": "1"})
    draft = await as_officer(stack, "POST", f"{API}/catalogue/drafts", {**POLICY, "formed_on": "2027-01-20"}, 201)
    assert draft["due_on_provisional"]

    operator = as_staff(stack, "op-1", Role.HOTLINE_OPERATOR)
    inquiry = (await stack.http("POST", TICKETS, json={**TICKET, "category": "inquiry"}, headers=operator)).json()
    assert (inquiry["due_at"], inquiry["due_at_provisional"]) == ("2027-02-12T15:59:59Z", True)

    # Past the provisional dates: the overdue check flags the request, the hotline's sweep the ticket.
    clocks["disclosure"].set(2, 24)
    clocks["hotline"].set(2, 13)
    flagged = await as_officer(stack, "POST", f"{API}/requests/overdue-checks")
    assert {r["id"] for r in flagged} == {provisional["id"], official["id"]}
    await events_of(js, "sunshine.events.v1.TicketOverdue", 1)

    override.write_text(json.dumps(ARRANGEMENT))

    async def recomputed() -> bool:
        request = await as_officer(stack, "GET", f"{API}/requests/{provisional['id']}")
        return request["due_on"] == "2027-02-25"

    await wait_until(recomputed, within=30)
    request = await as_officer(stack, "GET", f"{API}/requests/{provisional['id']}")
    assert (request["due_on_provisional"], request["overdue"], request["provisional_note"]) == (False, False, "")
    assert [(r["name"], r["old_date"], r["new_date"]) for r in request["recomputations"]] == [
        ("due_on", "2027-02-23", "2027-02-25")
    ]
    untouched = await as_officer(stack, "GET", f"{API}/requests/{official['id']}")
    assert (untouched["due_on"], untouched["overdue"], untouched["recomputations"]) == ("2026-11-30", True, [])

    [draft_event] = await events_of(js, "sunshine.events.v1.CatalogueDraftRecomputed", 1)
    assert unpack(draft_event, events.CatalogueDraftRecomputed).entry_id == draft["id"]
    request_events = await events_of(js, "sunshine.events.v1.DisclosureRequestRecomputed", 1)
    payloads = [unpack(e, events.DisclosureRequestRecomputed) for e in request_events]
    assert [(p.request_id, p.overdue_withdrawn) for p in payloads] == [(provisional["id"], True)]
    assert [(d.old_date, d.new_date) for d in payloads[0].dates] == [("2027-02-23", "2027-02-25")]

    [ticket_event] = await events_of(js, "sunshine.events.v1.TicketDueRecomputed", 1)
    moved = unpack(ticket_event, hotline_events.TicketDueRecomputed)
    assert (moved.ticket_id, moved.overdue_withdrawn, moved.due_at_provisional) == (inquiry["id"], True, False)
    ticket = (await stack.http("GET", f"{TICKETS}/{inquiry['id']}", headers=operator)).json()
    assert (ticket["due_at"], ticket["due_at_provisional"]) == ("2027-02-16T15:59:59Z", False)
    assert ticket["history"][-1]["action"] == "recompute_due"

    # Not flagged again from the old date: the request's next check finds its new deadline not passed.
    assert await as_officer(stack, "POST", f"{API}/requests/overdue-checks") == []


# --- a consultation, a published version and a year already official ----------------------------------------------

CONSULTATION = {
    "title": "示例区加装电梯补助办法（征求意见稿）",
    "draft_text": "第一条 为推进既有住宅加装电梯，制定本办法。",
    "lead_unit": "示例区住房和城乡建设局",
    # Opening 01-25: 01-26..29, 02-01..04, then provisionally 02-11, 02-12 (the 10th); officially 02-15, 02-16.
    "opens_on": "2027-01-25",
    "notice_ends_on": "2027-02-12",
}


async def test_a_consultation_a_published_version_and_a_corrected_year_are_counted_again(  # type: ignore[no-untyped-def]
    stack, js, override, clocks
) -> None:
    clocks["disclosure"].set(1, 25)
    decision = await as_officer(stack, "POST", f"{API}/decisions", CONSULTATION, 201)
    assert (decision["notice_earliest_end"], decision["notice_provisional"]) == ("2027-02-12", True)
    draft = await as_officer(stack, "POST", f"{API}/catalogue/drafts", {**POLICY, "formed_on": "2027-01-20"}, 201)
    official = await _received(stack, "2026-11-02")
    assert (official["due_on"], official["due_on_provisional"]) == ("2026-11-30", False)
    clocks["disclosure"].set(2, 24)  # after the provisional 02-23: published late, provisionally
    entry = await as_officer(stack, "POST", f"{API}/catalogue/{draft['id']}/publication")
    assert entry["late"]

    override.write_text(json.dumps({**ARRANGEMENT, **corrected(2026, "2026-11-20")}))

    async def short() -> bool:
        return bool((await as_officer(stack, "GET", f"{API}/decisions/{decision['id']}"))["notice_short"])

    await wait_until(short, within=30)
    shown = await as_officer(stack, "GET", f"{API}/decisions/{decision['id']}")
    assert (shown["notice_earliest_end"], shown["notice_provisional"], shown["provisional_note"]) == (
        "2027-02-16", False, "",
    )  # fmt: skip
    assert "延长公示期至2027-02-16" in shown["calendar_warnings"][0]
    assert [(r["name"], r["old_date"], r["new_date"]) for r in shown["recomputations"]] == [
        ("notice_earliest_end", "2027-02-12", "2027-02-16")
    ]
    refused = await stack.http("POST", f"{API}/decisions/{decision['id']}/actions", json={"action": "close"},
                               headers=stack.token(Role.DISCLOSURE_OFFICER))  # fmt: skip
    assert refused.status_code == 409 and "2027-02-16" in refused.text
    extended = {"action": "extend_notice", "notice_ends_on": "2027-02-26"}  # from today, the officer's choice
    after = await as_officer(stack, "POST", f"{API}/decisions/{decision['id']}/actions", extended)
    assert (after["notice_ends_on"], after["notice_short"], after["calendar_warnings"]) == ("2027-02-26", False, [])

    history = await as_officer(stack, "GET", f"{API}/catalogue/{entry['id']}/history")
    assert [(v["due_on"], v["due_on_provisional"], v["late"]) for v in history] == [("2027-02-25", False, False)]
    [recomputed] = await events_of(js, "sunshine.events.v1.CatalogueEntryRecomputed", 1)
    [version] = unpack(recomputed, events.CatalogueEntryRecomputed).versions
    assert (version.old_late, version.late) == (True, False)

    moved = await as_officer(stack, "GET", f"{API}/requests/{official['id']}")
    assert (moved["due_on"], [r["name"] for r in moved["recomputations"]]) == ("2026-12-01", ["due_on"])
    await events_of(js, "sunshine.events.v1.DecisionConsultationRecomputed", 1)
    await events_of(js, "sunshine.events.v1.DecisionNoticeExtended", 1)
