"""Art. 30 and Art. 32 through the gateway, on SQLite and PostgreSQL (dates before today, 2026-12-03, so no clock
needs setting): the correction notice gives a period and 6.1 waits for it to lapse; a third party's silence
ends the consultation by itself and the overdue check reports it.

Dates checked against the installed chinesecalendar 1.11.0 data (no holiday in November 2026).
"""

from __future__ import annotations

from sunshine.events.v1 import disclosure_pb2 as events
from sunshine_kit.auth.principal import Role
from sunshine_kit.envelope import unpack

from tests.disclosure.helpers import events_of, received_in_person

API = "/api/v1/disclosure"


async def _act(stack, request_id: str, **body: object):  # type: ignore[no-untyped-def]
    officer = stack.token(Role.DISCLOSURE_OFFICER)
    return await stack.http("POST", f"{API}/requests/{request_id}/actions", json=body, headers=officer)


async def test_six_one_waits_for_the_period_given_to_correct(stack, js) -> None:  # type: ignore[no-untyped-def]
    received = await received_in_person(stack, "2026-11-02")
    request_id = received["request"]["id"]
    asked = await _act(stack, request_id, action="ask_correction", on="2026-11-04")
    assert asked.status_code == 200, asked.text
    # The default 15 working days: 11-05, 11-06, 11-09..13, 11-16..20, 11-23..25.
    assert (asked.json()["correction_period_days"], asked.json()["correction_due_on"]) == (15, "2026-11-25")
    follow = {"number": received["request"]["number"], "secret_code": received["secret_code"]}
    progress = (await stack.http("POST", f"{API}/requests/follow", json=follow)).json()
    assert (progress["state"], progress["correction_due_on"]) == ("awaiting_correction", "2026-11-25")

    for too_early in ("2026-11-04", "2026-11-25"):
        refused = await _act(stack, request_id, action="answer", outcome="6.1", reason="逾期未补正", on=too_early)
        assert refused.status_code == 400, refused.text
        assert refused.json()["error"]["field_violations"][0]["field"] == "on"
        assert "2026-11-25" in refused.json()["error"]["message"]
    closed = await _act(stack, request_id, action="answer", outcome="6.1", reason="逾期未补正", on="2026-11-26")
    assert (closed.status_code, closed.json()["outcome"]) == (200, "6.1")

    [queried] = await events_of(js, "sunshine.events.v1.DisclosureRequestQueried", 1)
    payload = unpack(queried, events.DisclosureRequestQueried)
    assert (payload.correction_period_days, payload.correction_due_on) == (15, "2026-11-25")


async def test_the_office_gives_another_period_within_reason(stack) -> None:  # type: ignore[no-untyped-def]
    request_id = (await received_in_person(stack, "2026-11-02"))["request"]["id"]
    unreasonable = await _act(stack, request_id, action="ask_correction", on="2026-11-04", days=61)
    assert unreasonable.status_code == 400
    assert unreasonable.json()["error"]["field_violations"][0]["field"] == "days"
    asked = await _act(stack, request_id, action="ask_correction", on="2026-11-04", days=5)
    assert (asked.json()["correction_period_days"], asked.json()["correction_due_on"]) == (5, "2026-11-11")


async def test_a_silent_third_party_ends_the_consultation_by_itself(stack, js) -> None:  # type: ignore[no-untyped-def]
    request_id = (await received_in_person(stack, "2026-10-09"))["request"]["id"]
    paused = await _act(stack, request_id, action="pause", on="2026-10-12")
    # 10-13..16, 10-19..23, 10-26..30, 11-02: the third party's 15th working day.
    assert (paused.json()["state"], paused.json()["third_party_due_on"]) == ("consulting", "2026-11-02")

    checked = await stack.http("POST", f"{API}/requests/overdue-checks", headers=stack.token(Role.DISCLOSURE_OFFICER))
    [flagged] = checked.json()
    assert (flagged["id"], flagged["state"], flagged["consultation_lapsed_on"]) == (
        request_id,
        "in_progress",
        "2026-11-02",
    )
    assert flagged["paused_working_days"] == 15
    [lapsed] = await events_of(js, "sunshine.events.v1.DisclosureRequestConsultationLapsed", 1)
    payload = unpack(lapsed, events.DisclosureRequestConsultationLapsed)
    assert (payload.request_id, payload.third_party_due_on, payload.due_on) == (
        request_id,
        "2026-11-02",
        flagged["due_on"],
    )
