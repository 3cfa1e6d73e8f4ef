"""Clocks running into 2027 through the gateway, on SQLite and PostgreSQL, with the service's clock on
2026-12-18: no year of the installed chinesecalendar 1.11.0 nor an override file covers 2027, and every clock
still answers, its dates marked provisional (预计) in the staff and public views and in the events.

Provisional 2027 (docs/working-days.md): only 元旦 (Friday 01-01) is off in January.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sunshine.events.v1 import disclosure_pb2 as events
from sunshine_kit.auth.principal import Role
from sunshine_kit.envelope import unpack
from sunshine_kit.working_days import PROVISIONAL_NOTE

from tests.disclosure.helpers import INTAKE, as_officer, events_of, received_in_person
from tests.disclosure.test_catalogue_lifecycle_api import POLICY
from tests.disclosure.test_major_decisions_api import CONSULTATION

API = "/api/v1/disclosure"
TODAY = datetime(2026, 12, 18, 1, tzinfo=UTC)  # 09:00 in China


@pytest.fixture
def december_18(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr("disclosure.main.utc_now", lambda: TODAY)


@pytest.fixture
async def stack(december_18, stack):  # type: ignore[no-untyped-def]
    """The conftest's stack, built with its disclosure service on 2026-12-18."""
    return stack


async def _received(stack, received_on: str) -> dict:  # type: ignore[no-untyped-def]
    return (await received_in_person(stack, received_on))["request"]  # type: ignore[no-any-return]


async def _act(stack, request_id: str, **body: object) -> dict:  # type: ignore[no-untyped-def]
    return await as_officer(stack, "POST", f"{API}/requests/{request_id}/actions", body)  # type: ignore[no-any-return]


async def test_request_clocks_into_2027_answer_and_say_provisional(stack, js) -> None:  # type: ignore[no-untyped-def]
    inside_2026 = await _received(stack, "2026-12-03")
    assert (inside_2026["due_on"], inside_2026["due_on_provisional"], inside_2026["provisional_note"]) == (
        "2026-12-31",
        False,
        "",
    )
    received = await _received(stack, "2026-12-04")
    assert (received["due_on"], received["due_on_provisional"]) == ("2027-01-04", True)
    assert received["provisional_note"] == PROVISIONAL_NOTE == "预计，待国务院办公厅公布放假安排后重算"

    extended = await _act(
        stack, (await _received(stack, "2026-11-20"))["id"], action="extend", on="2026-12-10", days=20,
        approver="李局长", reason="需调取档案",
    )  # fmt: skip
    assert (extended["due_on"], extended["due_on_provisional"]) == ("2027-01-18", True)

    paused = await _act(stack, (await _received(stack, "2026-11-20"))["id"], action="pause", on="2026-12-11")
    assert (paused["state"], paused["third_party_due_on"], paused["third_party_due_provisional"]) == (
        "consulting",
        "2027-01-04",
        True,
    )
    assert paused["provisional_note"] == PROVISIONAL_NOTE

    fee = await _act(
        stack, (await _received(stack, "2026-11-20"))["id"], action="notify_fee", on="2026-12-04",
        fee_basis="per_page", quantity=50,
    )  # fmt: skip
    assert (fee["fee"]["pay_by"], fee["fee"]["pay_by_provisional"]) == ("2027-01-04", True)

    envelopes = await events_of(js, "sunshine.events.v1.DisclosureRequestReceived", 5)
    payloads = [unpack(e, events.DisclosureRequestReceived) for e in envelopes]
    flags = {p.received_on: p.due_on_provisional for p in payloads}
    assert flags == {"2026-12-03": False, "2026-12-04": True, "2026-11-20": False}


async def test_the_citizen_sees_the_provisional_deadline_when_following(stack) -> None:  # type: ignore[no-untyped-def]
    submitted = (await stack.http("POST", f"{API}/requests", json=INTAKE)).json()
    officer = stack.token(Role.DISCLOSURE_OFFICER)
    [listed] = (await stack.http("GET", f"{API}/requests?state=awaiting_confirmation", headers=officer)).json()
    await _act(stack, listed["id"], action="confirm", on="2026-12-10")

    follow = {"number": submitted["number"], "secret_code": submitted["secret_code"]}
    progress = (await stack.http("POST", f"{API}/requests/follow", json=follow)).json()
    assert (progress["due_on"], progress["due_on_provisional"], progress["provisional_note"]) == (
        "2027-01-08",
        True,
        PROVISIONAL_NOTE,
    )


async def test_a_catalogue_draft_and_a_consultation_into_2027_say_provisional(stack, js) -> None:  # type: ignore[no-untyped-def]
    draft = await as_officer(stack, "POST", f"{API}/catalogue/drafts", {**POLICY, "formed_on": "2026-12-04"}, 201)
    assert (draft["due_on"], draft["due_on_provisional"], draft["provisional_note"]) == (
        "2027-01-04",
        True,
        PROVISIONAL_NOTE,
    )

    consultation = {**CONSULTATION, "opens_on": "2026-12-18", "notice_ends_on": "2027-01-04"}
    decision = await as_officer(stack, "POST", f"{API}/decisions", consultation, 201)
    assert (decision["notice_provisional"], decision["provisional_note"]) == (True, PROVISIONAL_NOTE)
    public = (await stack.http("GET", f"{API}/decisions/{decision['id']}")).json()
    assert public["notice_provisional"] is True

    [opened] = await events_of(js, "sunshine.events.v1.DecisionConsultationOpened", 1)
    assert unpack(opened, events.DecisionConsultationOpened).notice_provisional is True
