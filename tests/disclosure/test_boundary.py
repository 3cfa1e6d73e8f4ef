"""The public/staff boundary of every disclosure endpoint."""

from __future__ import annotations

import pytest
from sunshine_kit.auth.principal import Role

from tests.disclosure.helpers import INTAKE

PUBLIC = [
    ("GET", "/api/v1/disclosure/catalogue?q=老旧小区", None, 200),
    ("GET", "/api/v1/disclosure/catalogue/nope", None, 404),
    ("GET", "/api/v1/disclosure/catalogue/nope/history", None, 404),
    ("GET", "/api/v1/disclosure/catalogue/nope/interpretations", None, 404),
    ("POST", "/api/v1/disclosure/requests", INTAKE, 201),
    ("POST", "/api/v1/disclosure/requests/follow", {"number": "x", "secret_code": "y"}, 404),
    ("GET", "/api/v1/disclosure/decisions", None, 200),
    ("GET", "/api/v1/disclosure/decisions/nope", None, 404),
    ("POST", "/api/v1/disclosure/decisions/nope/comments", {"text": "建议"}, 404),
]
STAFF = [
    ("POST", "/api/v1/disclosure/catalogue"),
    ("POST", "/api/v1/disclosure/catalogue/drafts"),
    ("GET", "/api/v1/disclosure/catalogue/drafts"),
    ("PUT", "/api/v1/disclosure/catalogue/drafts/some-id"),
    ("POST", "/api/v1/disclosure/catalogue/drafts/some-id/withdrawal"),
    ("POST", "/api/v1/disclosure/catalogue/some-id/publication"),
    ("POST", "/api/v1/disclosure/catalogue/some-id/revisions"),
    ("POST", "/api/v1/disclosure/catalogue/some-id/repeal"),
    ("POST", "/api/v1/disclosure/requests/received"),
    ("GET", "/api/v1/disclosure/requests"),
    ("GET", "/api/v1/disclosure/requests/some-id"),
    ("GET", "/api/v1/disclosure/requests/some-id/applicant"),
    ("POST", "/api/v1/disclosure/requests/some-id/actions"),
    ("POST", "/api/v1/disclosure/requests/overdue-checks"),
    ("PUT", "/api/v1/disclosure/annual-reports/2026/figures"),
    ("GET", "/api/v1/disclosure/annual-reports/2026"),
    ("GET", "/api/v1/disclosure/annual-reports/2026/consolidated"),
    ("POST", "/api/v1/disclosure/decisions"),
    ("GET", "/api/v1/disclosure/decisions/some-id/comments"),
    ("POST", "/api/v1/disclosure/decisions/some-id/actions"),
]
ACTION = {"action": "confirm"}
ENTRY = {"title": "t", "issuing_organ": "o", "formed_on": "2026-02-13", "body": "b"}
VALID_BODIES = {
    "/api/v1/disclosure/catalogue": ENTRY,
    "/api/v1/disclosure/catalogue/drafts": ENTRY,
    "/api/v1/disclosure/catalogue/drafts/some-id": ENTRY,
    "/api/v1/disclosure/catalogue/drafts/some-id/withdrawal": {"reason": "r"},
    "/api/v1/disclosure/catalogue/some-id/revisions": ENTRY,
    "/api/v1/disclosure/catalogue/some-id/repeal": {},
    "/api/v1/disclosure/requests/received": {**INTAKE, "channel": "in_person", "received_on": "2026-02-13"},
    "/api/v1/disclosure/requests/some-id/actions": ACTION,
    "/api/v1/disclosure/annual-reports/2026/figures": {},
    "/api/v1/disclosure/decisions": {"title": "t", "draft_text": "d", "lead_unit": "u", "opens_on": "2026-12-01",
                                     "notice_ends_on": "2026-12-31"},
    "/api/v1/disclosure/decisions/some-id/actions": {"action": "close"},
}  # fmt: skip


async def test_public_endpoints_answer_anonymous_callers(stack) -> None:  # type: ignore[no-untyped-def]
    for method, path, body, status in PUBLIC:
        reply = await stack.http(method, path, json=body)
        assert reply.status_code == status, (method, path, reply.text)


@pytest.mark.parametrize(("method", "path"), STAFF)
async def test_staff_endpoints_refuse_anonymous_callers(stack, method: str, path: str) -> None:  # type: ignore[no-untyped-def]
    reply = await stack.http(method, path, json=VALID_BODIES.get(path))
    assert reply.status_code == 401, reply.text
    assert reply.json()["error"]["code"] == "UNAUTHENTICATED"


@pytest.mark.parametrize(("method", "path"), STAFF)
async def test_staff_endpoints_refuse_a_role_without_business_there(stack, method: str, path: str) -> None:  # type: ignore[no-untyped-def]
    reply = await stack.http(method, path, json=VALID_BODIES.get(path), headers=stack.token(Role.HANDLING_UNIT))
    assert reply.status_code == 403, reply.text


@pytest.mark.parametrize(("method", "path"), STAFF)
async def test_staff_endpoints_refuse_an_officer_of_a_sibling_division(stack, method: str, path: str) -> None:  # type: ignore[no-untyped-def]
    sibling = stack.token(Role.DISCLOSURE_OFFICER, division="510200")
    reply = await stack.http(method, path, json=VALID_BODIES.get(path), headers=sibling)
    assert reply.status_code == 403, reply.text


async def test_a_leader_reads_requests_but_may_not_handle_them(stack) -> None:  # type: ignore[no-untyped-def]
    leader = stack.token(Role.LEADER)
    assert (await stack.http("GET", "/api/v1/disclosure/requests", headers=leader)).status_code == 200
    body = VALID_BODIES["/api/v1/disclosure/requests/received"]
    reply = await stack.http("POST", "/api/v1/disclosure/requests/received", json=body, headers=leader)
    assert reply.status_code == 403
