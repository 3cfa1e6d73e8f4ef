"""Every operation of the gateway's OpenAPI × every principal (tests/security/conftest.py), against a running
township stack, judged by the rules of docs/auth.md — written out here, apart from the code:

- a public operation answers anyone (never 401 or 403);
- a read needs one of its roles, held in the stack's own division, or in a division above it by a role that
  reads below (leader, evaluator, stack_operator, auditor) — each role counted on its own;
- an action needs one of its roles, held in the stack's own division;
- anonymous callers of a staff operation get 401, refused principals 403, and nothing is ever a 500.

An operation missing from RULES fails the test: a new endpoint must say who may call it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import pytest
from sunshine_kit.auth import Role
from sunshine_kit.timestamps import china_date
from sunshine_kit.working_days import WorkingDayCalendar

from tests.disclosure.helpers import INTAKE
from tests.security.conftest import (
    OPEN311_KEY,
    OWN,
    Who,
    contained,
    principals,
    township_fixture,
    who,
)
from tests.stack_in_process import NO_LIMITS, InProcessStack

pytestmark = pytest.mark.asyncio(loop_scope="module")

OPERATOR, UNIT, LEADER = Role.HOTLINE_OPERATOR, Role.HANDLING_UNIT, Role.LEADER
EVALUATOR, STACK, OFFICER, AUDITOR = Role.EVALUATOR, Role.STACK_OPERATOR, Role.DISCLOSURE_OFFICER, Role.AUDITOR
READS_BELOW = frozenset({LEADER, EVALUATOR, STACK, AUDITOR})


@dataclass(frozen=True)
class Rule:
    kind: str  # public | read | act
    roles: frozenset[Role] = frozenset()


PUBLIC = Rule("public")


def read(*roles: Role) -> Rule:
    return Rule("read", frozenset(roles))


def act(*roles: Role) -> Rule:
    return Rule("act", frozenset(roles))


TODAY = china_date(datetime.now(UTC)).isoformat()
TICKET_READERS = (OPERATOR, UNIT, LEADER, EVALUATOR, STACK)
REQUEST_READERS = (OFFICER, LEADER, EVALUATOR)
H, D = "/api/v1/hotline", "/api/v1/disclosure"
RULES: dict[str, Rule] = {
    "GET /healthz": PUBLIC,
    "GET /readyz": PUBLIC,
    "GET /api/v1/stack": PUBLIC,
    "GET /api/v1/stack/calendar": read(STACK),
    "GET /api/v1/sign-in": PUBLIC,
    "GET /api/v1/sync/status": read(STACK, LEADER),
    f"POST {H}/tickets": act(OPERATOR),
    f"GET {H}/tickets": read(*TICKET_READERS),
    f"GET {H}/tickets/{{ticket_id}}": read(*TICKET_READERS),
    f"POST {H}/tickets/{{ticket_id}}/transitions": act(OPERATOR),  # the action asked for is 派单 (dispatch)
    f"GET {H}/tickets/{{ticket_id}}/dispatch-suggestion": read(OPERATOR),
    f"POST {H}/classification": act(OPERATOR),
    f"GET {H}/tickets/{{ticket_id}}/duplicates": read(OPERATOR),
    f"GET {H}/topics": PUBLIC,
    f"GET {H}/units": read(*TICKET_READERS),
    f"GET {H}/hotspots": read(OPERATOR, LEADER, EVALUATOR, STACK),
    f"GET {H}/issue-list": read(OPERATOR, LEADER, EVALUATOR, STACK, UNIT),  # the unit asks for its own list
    f"GET {H}/knowledge": read(OPERATOR, UNIT),
    f"POST {H}/tickets/{{ticket_id}}/documents": act(OPERATOR),
    f"POST {H}/tickets/{{ticket_id}}/disclosure-handover": act(OPERATOR),
    f"POST {H}/public/tickets": PUBLIC,
    f"POST {H}/public/follow": PUBLIC,
    f"POST {H}/public/evaluate": PUBLIC,
    "GET /open311/v2/discovery.{fmt}": PUBLIC,
    "GET /open311/v2/services.{fmt}": PUBLIC,
    "GET /open311/v2/services/{code}.{fmt}": PUBLIC,
    "POST /open311/v2/requests.{fmt}": PUBLIC,
    "GET /open311/v2/requests.{fmt}": PUBLIC,
    "GET /open311/v2/requests/{number}.{fmt}": PUBLIC,
    "GET /open311/v2/tokens/{token}.{fmt}": PUBLIC,
    f"GET {D}/catalogue": PUBLIC,
    f"POST {D}/catalogue": act(OFFICER),
    f"POST {D}/catalogue/drafts": act(OFFICER),
    f"GET {D}/catalogue/drafts": act(OFFICER),
    f"PUT {D}/catalogue/drafts/{{entry_id}}": act(OFFICER),
    f"POST {D}/catalogue/drafts/{{entry_id}}/withdrawal": act(OFFICER),
    f"POST {D}/catalogue/{{entry_id}}/publication": act(OFFICER),
    f"POST {D}/catalogue/{{entry_id}}/revisions": act(OFFICER),
    f"POST {D}/catalogue/{{entry_id}}/repeal": act(OFFICER),
    f"GET {D}/catalogue/{{entry_id}}": PUBLIC,
    f"GET {D}/catalogue/{{entry_id}}/history": PUBLIC,
    f"GET {D}/catalogue/{{entry_id}}/interpretations": PUBLIC,
    f"POST {D}/requests": PUBLIC,
    f"GET {D}/requests": read(*REQUEST_READERS),
    f"POST {D}/requests/follow": PUBLIC,
    f"POST {D}/requests/received": act(OFFICER),
    f"GET {D}/requests/{{request_id}}": read(*REQUEST_READERS),
    f"GET {D}/requests/{{request_id}}/applicant": act(OFFICER),  # the applicant in full: own division only
    f"POST {D}/requests/{{request_id}}/actions": act(OFFICER),
    f"POST {D}/requests/overdue-checks": act(OFFICER, STACK),
    f"POST {D}/decisions": act(OFFICER),
    f"GET {D}/decisions": PUBLIC,
    f"GET {D}/decisions/{{decision_id}}": PUBLIC,
    f"POST {D}/decisions/{{decision_id}}/comments": PUBLIC,
    f"GET {D}/decisions/{{decision_id}}/comments": act(OFFICER),  # commenters' contacts: own division only
    f"POST {D}/decisions/{{decision_id}}/actions": act(OFFICER),
    f"PUT {D}/annual-reports/{{year}}/figures": act(OFFICER),
    f"GET {D}/annual-reports/{{year}}": read(*REQUEST_READERS),
    f"GET {D}/annual-reports/{{year}}/consolidated": read(*REQUEST_READERS),
    "GET /api/v1/evaluation/intake-counts": read(LEADER, EVALUATOR, OPERATOR, STACK),
    "GET /api/v1/audit/{service}/entries": read(AUDITOR),
    "GET /api/v1/audit/{service}/verification": read(AUDITOR),
}


def allowed(rule: Rule, principal: Who) -> bool:
    if rule.kind == "public":
        return True
    held = principal.roles & rule.roles
    if principal.division == OWN:
        return bool(held)
    return rule.kind == "read" and contained(principal.division, OWN) and bool(held & READS_BELOW)


@dataclass(frozen=True)
class Operation:
    method: str
    path: str
    spec: dict[str, Any]

    @property
    def key(self) -> str:
        return f"{self.method} {self.path}"


def operations(openapi: dict[str, Any]) -> list[Operation]:
    return [
        Operation(method.upper(), path, spec)
        for path, methods in openapi["paths"].items()
        for method, spec in methods.items()
    ]


class Records:
    """One of each record, made by the stack's own staff, for the path parameters."""

    def __init__(self, stack: InProcessStack) -> None:
        self.stack = stack
        self.values: dict[str, str] = {"year": "2026", "fmt": "json", "code": "sanitation", "service": "hotline"}

    async def make(self) -> None:
        operator, officer = who(OWN, OPERATOR).headers(self.stack), who(OWN, OFFICER).headers(self.stack)
        ticket = await self._created(f"{H}/tickets", operator, TICKET)
        self.values.update(ticket_id=ticket["id"], token=ticket["id"], number=ticket["number"])
        self.values["entry_id"] = (await self._created(f"{D}/catalogue/drafts", officer, ENTRY))["id"]
        received = {**INTAKE, "channel": "in_person", "received_on": TODAY}
        self.values["request_id"] = (await self._created(f"{D}/requests/received", officer, received))["request"]["id"]
        self.values["decision_id"] = (await self._created(f"{D}/decisions", officer, DECISION))["id"]

    async def _created(self, path: str, headers: dict[str, str], body: dict[str, Any]) -> dict[str, Any]:
        reply = await self.stack.http("POST", path, headers=headers, json=body)
        assert reply.status_code == 201, f"{path}: {reply.status_code} {reply.text}"
        return reply.json()


TICKET = {
    "category": "complaint",
    "topic": "环境卫生",
    "channel": "phone",
    "place_division": OWN,
    "address": "双流区东升街道棠湖路 18 号",
    "description": "小区门口垃圾堆放三天无人清运，联系电话13912345678",
    "caller": {"name": "张三", "phone": "13800001234", "id_number": "510104199001011234"},
}
ENTRY = {
    "title": "示例街道政务公开工作要点",
    "issuing_organ": "示例街道办事处",
    "formed_on": TODAY,
    "body": "正文",
}
DECISION = {
    "title": "示例街道老旧小区加装电梯补助办法（征求意见稿）",
    "draft_text": "第一条 为推进既有住宅加装电梯，制定本办法。",
    "lead_unit": "示例街道办事处",
    "opens_on": TODAY,
    # The 10 working days of public notice the rules ask for.
    "notice_ends_on": WorkingDayCalendar().add_working_days(china_date(datetime.now(UTC)), 10).isoformat(),
}
# What the generated minimum would not carry through to the role checks.
BODIES: dict[str, Any] = {
    f"POST {H}/tickets": TICKET,
    f"POST {H}/tickets/{{ticket_id}}/transitions": {"action": "dispatch", "lead_unit": "cgj"},
    f"POST {H}/public/tickets": {**TICKET, "channel": "web"},
    f"POST {D}/requests": INTAKE,
    f"POST {D}/requests/received": {**INTAKE, "channel": "in_person", "received_on": TODAY},
    f"POST {D}/decisions": DECISION,
}
QUERIES = {"unit": "jd001", "q": "垃圾", "division": OWN}


async def call(stack: InProcessStack, records: Records, operation: Operation, principal: Who):  # type: ignore[no-untyped-def]
    path = re.sub(r"\{(\w+)\}", lambda m: records.values[m.group(1)], operation.path)
    params = {
        p["name"]: QUERIES[p["name"]]
        for p in operation.spec.get("parameters", [])
        if p["in"] == "query" and p["name"] in QUERIES
    }
    kwargs: dict[str, Any] = {"params": params, "headers": principal.headers(stack)}
    if operation.key == "POST /open311/v2/requests.{fmt}":
        kwargs["data"] = {
            "api_key": OPEN311_KEY,
            "service_code": "sanitation",
            "address_string": "棠湖路",
            "description": "路灯不亮",
        }
    elif "requestBody" in operation.spec:
        kwargs["json"] = BODIES.get(operation.key) or _example_body(records, operation.method, operation.path)
    return await stack.http(operation.method, path, **kwargs)


def _example_body(records: Records, method: str, path: str) -> Any:
    spec = records.stack.gateway.app.openapi()  # type: ignore[attr-defined]
    schema = spec["paths"][path][method.lower()]["requestBody"]["content"]["application/json"]["schema"]
    return example(schema, spec)


def example(schema: dict[str, Any], spec: dict[str, Any]) -> Any:
    """The smallest instance the schema accepts: required properties only, first choices."""
    if "$ref" in schema:
        return example(spec["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]], spec)
    for key in ("anyOf", "oneOf", "allOf"):
        if key in schema:
            return example(next(s for s in schema[key] if s.get("type") != "null"), spec)
    if "enum" in schema:
        return schema["enum"][0]
    if "const" in schema:
        return schema["const"]
    kind = schema.get("type")
    if kind == "object":
        return {name: _property(name, schema["properties"][name], spec) for name in schema.get("required", [])}
    if kind == "array":
        return [example(schema["items"], spec) for _ in range(schema.get("minItems", 0))]
    if kind == "integer":
        return max(schema.get("minimum", 1), 1)
    if kind == "number":
        return float(max(schema.get("minimum", 1), 1))
    if kind == "boolean":
        return False
    if schema.get("format") == "date-time":
        return datetime.now(UTC).isoformat()
    if schema.get("format") == "date":
        return datetime.now(UTC).date().isoformat()
    return "样例" * max(1, schema.get("minLength", 1))


def _property(name: str, schema: dict[str, Any], spec: dict[str, Any]) -> Any:
    """Dates the services parse from text (`received_on`, `opens_on`) get one."""
    return TODAY if name.endswith("_on") and schema.get("type") == "string" else example(schema, spec)


stack = township_fixture("matrix", **NO_LIMITS)


async def test_every_operation_names_its_rule(stack: InProcessStack) -> None:
    found = {operation.key for operation in operations(stack.gateway.app.openapi())}
    assert found - RULES.keys() == set(), "operations without a rule in RULES"
    assert RULES.keys() - found == set(), "rules for operations that no longer exist"


async def test_every_operation_for_every_principal(stack: InProcessStack) -> None:
    records = Records(stack)
    await records.make()
    wrong = []
    for operation in operations(stack.gateway.app.openapi()):
        rule = RULES[operation.key]
        for principal in principals():
            reply = await call(stack, records, operation, principal)
            expected = _expectation(rule, principal)
            if not expected(reply.status_code):
                wrong.append(f"{operation.key} as {principal.name}: {reply.status_code} {reply.text[:160]}")
    assert wrong == [], f"{len(wrong)} answers against the rules:\n" + "\n".join(wrong)


def _expectation(rule: Rule, principal: Who):  # type: ignore[no-untyped-def]
    if allowed(rule, principal):
        return lambda status: status not in (401, 403, 429) and status < 500
    if principal.anonymous:
        return lambda status: status == 401
    return lambda status: status == 403


# Calls that send a body but change nothing: no audit entry is expected of them.
READ_ONLY_POSTS = frozenset({f"POST {H}/classification", f"POST {H}/public/follow", f"POST {D}/requests/follow"})
AUDITOR_HERE = who(OWN, AUDITOR)


def service_of(path: str) -> str | None:
    for prefix, service in ((H, "hotline"), ("/open311/", "hotline"), (D, "disclosure")):
        if path.startswith(prefix):
            return service
    return None


def first_allowed(rule: Rule) -> Who:
    if rule.kind == "public":
        return Who("anonymous")
    return who(OWN, sorted(rule.roles)[0])


async def audit_entries(stack: InProcessStack, service: str, after: int = 0) -> list[dict[str, Any]]:
    reply = await stack.http(
        "GET", f"/api/v1/audit/{service}/entries", params={"after_seq": after, "limit": 1000},
        headers=AUDITOR_HERE.headers(stack),
    )  # fmt: skip
    assert reply.status_code == 200, reply.text
    return reply.json()


async def head(stack: InProcessStack, service: str) -> int:
    reply = await stack.http("GET", f"/api/v1/audit/{service}/verification", headers=AUDITOR_HERE.headers(stack))
    return reply.json()["head_seq"]


async def test_every_change_leaves_an_audit_entry_and_a_refused_one_none(stack: InProcessStack) -> None:
    records = Records(stack)
    await records.make()
    changed, wrong = 0, []
    for operation in operations(stack.gateway.app.openapi()):
        service = service_of(operation.path)
        if operation.method == "GET" or operation.key in READ_ONLY_POSTS or service is None:
            continue
        principal = first_allowed(RULES[operation.key])
        before = await head(stack, service)
        reply = await call(stack, records, operation, principal)
        mine = [
            e
            for e in await audit_entries(stack, service, before)
            if e["subject"] == (principal.subject if not principal.anonymous else "anonymous")
        ]
        if reply.status_code < 300:
            changed += 1
            if not mine or any(e["client_address"] != "testclient" for e in mine):
                wrong.append(f"{operation.key} ({reply.status_code}) left {mine}")
        elif mine:
            wrong.append(f"{operation.key} was refused ({reply.status_code}) but left {mine}")
    assert wrong == [], "\n".join(wrong)
    assert changed >= 12, "too few changes went through to say much"
    for service in ("hotline", "disclosure", "evaluation"):
        verification = await stack.http(
            "GET", f"/api/v1/audit/{service}/verification", headers=AUDITOR_HERE.headers(stack)
        )
        assert verification.json()["intact"] is True, verification.text
