"""A whole stack in one process: the public/staff boundary, errors, and readiness following its dependencies."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sunshine_kit.auth.principal import Role
from sunshine_kit.testing.waiting import wait_until

from tests.stack_in_process import in_process_stack

TICKET = {
    "category": "inquiry",
    "topic": "社会保障",
    "channel": "web",
    "place_division": "510100",
    "description": "如何办理社保转移",
}
ENTRY = {
    "title": "关于印发示例办法的通知",
    "issuing_organ": "示例市人民政府办公厅",
    "document_number": "示办发〔2026〕1号",
    "formed_on": "2026-02-13",
    "body": "正文",
}


@pytest.fixture
async def stack(nats_url, tmp_path, monkeypatch):  # type: ignore[no-untyped-def]
    async with in_process_stack(nats_url, tmp_path, monkeypatch) as running:
        yield running


async def test_stack_describes_itself(stack) -> None:  # type: ignore[no-untyped-def]
    body = (await stack.http("GET", "/api/v1/stack")).json()
    assert body == {
        "division": "510100",
        "level": "city",
        "name": stack.settings.name,
        "parent_division": None,
        "children": [],
    }


async def test_staff_endpoints_refuse_anonymous_callers(stack) -> None:  # type: ignore[no-untyped-def]
    for method, path in [
        ("POST", "/api/v1/hotline/tickets"),
        ("GET", "/api/v1/hotline/tickets/x"),
        ("POST", "/api/v1/disclosure/catalogue"),
        ("GET", "/api/v1/evaluation/intake-counts"),
    ]:
        reply = await stack.http(method, path, json={})
        assert reply.status_code == 401, (method, path, reply.text)
        assert reply.json()["error"]["code"] == "UNAUTHENTICATED"


async def test_a_role_that_may_not_act_is_refused(stack) -> None:  # type: ignore[no-untyped-def]
    reply = await stack.http("POST", "/api/v1/hotline/tickets", json=TICKET, headers=stack.token(Role.EVALUATOR))
    assert reply.status_code == 403
    assert reply.json()["error"]["code"] == "PERMISSION_DENIED"


async def test_an_operator_of_another_division_is_refused(stack) -> None:  # type: ignore[no-untyped-def]
    sibling = stack.token(Role.HOTLINE_OPERATOR, division="510200")
    reply = await stack.http("POST", "/api/v1/hotline/tickets", json=TICKET, headers=sibling)
    assert reply.status_code == 403


async def test_a_forged_token_is_refused(stack) -> None:  # type: ignore[no-untyped-def]
    reply = await stack.http("GET", "/api/v1/evaluation/intake-counts", headers={"Authorization": "Bearer not.a.jwt"})
    assert reply.status_code == 401


async def test_bad_input_names_each_field(stack) -> None:  # type: ignore[no-untyped-def]
    bad = {**TICKET, "topic": " ", "place_division": "5101"}
    reply = await stack.http("POST", "/api/v1/hotline/tickets", json=bad, headers=stack.token(Role.HOTLINE_OPERATOR))
    assert reply.status_code == 400
    fields = [v["field"] for v in reply.json()["error"]["field_violations"]]
    assert fields == ["topic", "place_division"]


async def test_a_request_missing_a_field_is_refused_naming_it(stack) -> None:  # type: ignore[no-untyped-def]
    partial = {k: v for k, v in TICKET.items() if k != "category"}
    reply = await stack.http(
        "POST", "/api/v1/hotline/tickets", json=partial, headers=stack.token(Role.HOTLINE_OPERATOR)
    )
    assert reply.status_code == 400
    assert reply.json()["error"]["field_violations"][0]["field"] == "category"


async def test_an_accepted_ticket_is_stored_and_counted(stack) -> None:  # type: ignore[no-untyped-def]
    operator = stack.token(Role.HOTLINE_OPERATOR)
    created = await stack.http("POST", "/api/v1/hotline/tickets", json=TICKET, headers=operator)
    assert created.status_code == 201
    ticket = created.json()
    fetched = await stack.http("GET", f"/api/v1/hotline/tickets/{ticket['id']}", headers=operator)
    assert fetched.json() == ticket
    assert ticket["state"] == "受理"

    async def counted() -> bool:
        reply = await stack.http("GET", "/api/v1/evaluation/intake-counts", headers=stack.token(Role.LEADER))
        return reply.json() == [{"division": "510100", "category": "INQUIRY", "count": 1}]

    await wait_until(counted, within=30)


async def test_an_unknown_ticket_is_not_found(stack) -> None:  # type: ignore[no-untyped-def]
    reply = await stack.http("GET", "/api/v1/hotline/tickets/nope", headers=stack.token(Role.HOTLINE_OPERATOR))
    assert reply.status_code == 404


async def test_a_published_entry_is_public(stack) -> None:  # type: ignore[no-untyped-def]
    published = await stack.http(
        "POST", "/api/v1/disclosure/catalogue", json=ENTRY, headers=stack.token(Role.DISCLOSURE_OFFICER)
    )
    assert published.status_code == 201, published.text
    entry = published.json()
    assert (entry["due_on"], entry["late"]) == ("2026-03-19", True)  # 20 working days across the 2026 春节 break
    public = await stack.http("GET", f"/api/v1/disclosure/catalogue/{entry['id']}")
    assert public.status_code == 200
    assert public.json()["document_number"] == "示办发〔2026〕1号"


async def test_readiness_follows_nats_going_and_coming_back(nats_server, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    async with in_process_stack(nats_server.url, tmp_path, monkeypatch) as stack:
        nats_server.kill()

        async def nats_reported_down() -> bool:
            reply = await stack.http("GET", "/readyz")
            deps = reply.json()["dependencies"]
            return reply.status_code == 503 and not deps["nats"]["ready"] and not deps["hotline"]["ready"]

        await wait_until(nats_reported_down, within=30)
        nats_server.start()

        async def ready_again() -> bool:
            return (await stack.http("GET", "/readyz")).status_code == 200

        await wait_until(ready_again, within=60)


async def test_the_operator_is_warned_from_october_that_next_year_is_not_covered(stack, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    path = "/api/v1/stack/calendar"
    assert (await stack.http("GET", path, headers=stack.token(Role.LEADER))).status_code == 403
    operator = stack.token(Role.STACK_OPERATOR)

    monkeypatch.setattr("gateway.entrypoints.routers.stack.utc_now", lambda: datetime(2026, 9, 30, 4, tzinfo=UTC))
    september = (await stack.http("GET", path, headers=operator)).json()
    assert september["warnings"] == [] and september["error"] == ""
    assert [(y["year"], y["source"], y["official"]) for y in september["years"]] == [
        (2026, "chinesecalendar", True),
        (2027, "provisional", False),
    ]

    monkeypatch.setattr("gateway.entrypoints.routers.stack.utc_now", lambda: datetime(2026, 10, 1, 4, tzinfo=UTC))
    [warning] = (await stack.http("GET", path, headers=operator)).json()["warnings"]
    assert "2027 年的放假安排尚未配置" in warning and "SUNSHINE_CALENDAR_OVERRIDE_FILE" in warning


async def test_readiness_reports_a_hung_nats_server_and_its_return(nats_server, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """A hung server (SIGSTOP) keeps its TCP connections open: the client would call it connected for minutes."""
    async with in_process_stack(nats_server.url, tmp_path, monkeypatch) as stack:
        nats_server.pause()
        try:
            seen: list[dict] = []

            async def nats_reported_hung() -> bool:
                reply = await stack.http("GET", "/readyz")
                seen.append(reply.json())
                return reply.status_code == 503 and not reply.json()["dependencies"]["nats"]["ready"]

            await wait_until(nats_reported_hung, within=30, interval=0.2)
            assert "NOT ANSWERING" in seen[-1]["dependencies"]["nats"]["detail"]
        finally:
            nats_server.resume()

        async def ready_again() -> bool:
            return (await stack.http("GET", "/readyz")).status_code == 200

        await wait_until(ready_again, within=60)
