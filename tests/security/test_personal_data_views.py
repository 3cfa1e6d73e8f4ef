"""What each viewer sees of a caller's and an applicant's personal data on a running township stack, and the
audit entry every unmasked read leaves (docs/hotline.md, docs/disclosure.md, docs/auth.md)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from sunshine_kit.auth import Role
from sunshine_kit.timestamps import china_date

from tests.disclosure.helpers import APPLICANT, INTAKE
from tests.security.conftest import CITY, COUNTY, OPEN311_KEY, OWN, Who, township_fixture, who
from tests.stack_in_process import NO_LIMITS, InProcessStack

pytestmark = pytest.mark.asyncio(loop_scope="module")

OPERATOR, UNIT, LEADER = Role.HOTLINE_OPERATOR, Role.HANDLING_UNIT, Role.LEADER
CALLER = {"name": "张三", "phone": "13800001234", "id_number": "510104199001011234", "email": "zhangsan@example.com"}
ADDRESS = "双流区东升街道棠湖路 18 号 3 栋"
DESCRIPTION = "楼下餐馆油烟扰民，我是张三，电话13800001234，房东电话13912345678"
MASKED_CALLER = {
    "name": "张*", "phone": "138****1234", "id_number": "5101**********1234", "email": "z*******@example.com"
}
MASKED_ADDRESS = "双流区东升街" + "*" * (len(ADDRESS) - 6)
MASKED_DESCRIPTION = "楼下餐馆油烟扰民，我是张*，电话138****1234，房东电话139****5678"
OWN_OPERATOR = who(OWN, OPERATOR)
OWN_UNIT = who(OWN, UNIT, subject="sthjj:wang")  # 市生态环境局 leads 环境保护
AUDITOR = who(OWN, Role.AUDITOR)


stack = township_fixture("views", **NO_LIMITS)


async def accepted(stack: InProcessStack, **changes: Any) -> dict[str, Any]:
    ticket = {
        "category": "complaint",
        "topic": "环境保护",
        "channel": "phone",
        "place_division": OWN,
        "address": ADDRESS,
        "description": DESCRIPTION,
        "caller": CALLER,
        **changes,
    }
    reply = await stack.http("POST", "/api/v1/hotline/tickets", json=ticket, headers=OWN_OPERATOR.headers(stack))
    assert reply.status_code == 201, reply.text
    dispatched = await stack.http(
        "POST",
        f"/api/v1/hotline/tickets/{reply.json()['id']}/transitions",
        json={"action": "dispatch", "lead_unit": "sthjj"},
        headers=OWN_OPERATOR.headers(stack),
    )
    assert dispatched.status_code == 200, dispatched.text
    return dispatched.json()


async def seen_by(stack: InProcessStack, principal: Who, ticket_id: str) -> dict[str, Any]:
    reply = await stack.http("GET", f"/api/v1/hotline/tickets/{ticket_id}", headers=principal.headers(stack))
    assert reply.status_code == 200, f"{principal.name}: {reply.text}"
    return reply.json()


async def audited(stack: InProcessStack, service: str, record: str, kind: str = "read:") -> list[str]:
    """The subjects of the audit entries on `record` whose action starts with `kind`."""
    reply = await stack.http(
        "GET", f"/api/v1/audit/{service}/entries", params={"record": record, "limit": 1000},
        headers=AUDITOR.headers(stack),
    )  # fmt: skip
    assert reply.status_code == 200, reply.text
    return [e["subject"] for e in reply.json() if e["action"].startswith(kind)]


IN_FULL = (CALLER, ADDRESS, DESCRIPTION)
MASKED = (MASKED_CALLER, MASKED_ADDRESS, MASKED_DESCRIPTION)
VIEWS = [
    (OWN_OPERATOR, IN_FULL),
    (OWN_UNIT, IN_FULL),
    (who(OWN, LEADER), MASKED),
    (who(OWN, Role.EVALUATOR), MASKED),
    (who(OWN, Role.STACK_OPERATOR), MASKED),
    (who(COUNTY, OPERATOR, LEADER), MASKED),  # an operator above reads as the leader it also is
    (who(COUNTY, UNIT, LEADER, subject="sthjj:li"), MASKED),  # a unit of the county is not the township's unit
    (who(CITY, LEADER), MASKED),
    (who(CITY, Role.EVALUATOR, Role.HOTLINE_OPERATOR), MASKED),
]


async def test_each_viewer_sees_the_ticket_as_its_own_role_allows_and_unmasked_reads_are_audited(
    stack: InProcessStack,
) -> None:
    ticket = await accepted(stack)
    for principal, (caller, address, description) in VIEWS:
        seen = await seen_by(stack, principal, ticket["id"])
        assert (seen["caller"], seen["address"], seen["description"]) == (caller, address, description), principal.name
    readers = await audited(stack, "hotline", f"ticket:{ticket['id']}")
    assert sorted(readers) == sorted([OWN_OPERATOR.subject, OWN_UNIT.subject])


async def test_a_confidential_callers_data_is_masked_for_the_unit_and_its_read_is_not_an_unmasked_one(
    stack: InProcessStack,
) -> None:
    ticket = await accepted(stack, confidential=True)
    assert (await seen_by(stack, OWN_UNIT, ticket["id"]))["caller"] == MASKED_CALLER
    assert (await seen_by(stack, OWN_OPERATOR, ticket["id"]))["caller"] == CALLER
    assert await audited(stack, "hotline", f"ticket:{ticket['id']}") == [OWN_OPERATOR.subject]


async def test_lists_mask_every_caller(stack: InProcessStack) -> None:
    ticket = await accepted(stack)
    for principal in (OWN_OPERATOR, OWN_UNIT, who(OWN, LEADER)):
        listed = await stack.http("GET", "/api/v1/hotline/tickets", headers=principal.headers(stack))
        mine = next(t for t in listed.json() if t["id"] == ticket["id"])
        assert mine["caller"] == MASKED_CALLER, principal.name


async def test_the_open311_public_list_masks_addresses_and_numbers_in_the_text(stack: InProcessStack) -> None:
    form = {
        "api_key": OPEN311_KEY,
        "service_code": "environment",
        "address_string": ADDRESS,
        "description": DESCRIPTION,
        "phone": "13800001234",
    }
    filed = await stack.http("POST", "/open311/v2/requests.json", data=form)
    assert filed.status_code == 200, filed.text
    number = filed.json()[0]["service_request_id"]
    shown = (await stack.http("GET", f"/open311/v2/requests/{number}.json")).json()[0]
    assert shown["address"] == MASKED_ADDRESS
    assert "13800001234" not in shown["description"] and "13912345678" not in shown["description"]
    assert "139****5678" in shown["description"]


async def test_a_request_shows_its_applicant_masked_and_in_full_only_to_the_office_with_an_audit_entry(
    stack: InProcessStack,
) -> None:
    officer = who(OWN, Role.DISCLOSURE_OFFICER)
    received = {**INTAKE, "channel": "in_person", "received_on": china_date(datetime.now(UTC)).isoformat()}
    made = await stack.http(
        "POST", "/api/v1/disclosure/requests/received", json=received, headers=officer.headers(stack)
    )
    assert made.status_code == 201, made.text
    request_id = made.json()["request"]["id"]
    for principal in (officer, who(OWN, LEADER), who(COUNTY, LEADER), who(CITY, Role.EVALUATOR)):
        seen = await stack.http("GET", f"/api/v1/disclosure/requests/{request_id}", headers=principal.headers(stack))
        applicant = seen.json()["applicant"]
        assert applicant["name"] == "王**" and APPLICANT["phone"] not in str(applicant), principal.name
    full = await stack.http(
        "GET", f"/api/v1/disclosure/requests/{request_id}/applicant", headers=officer.headers(stack)
    )
    assert full.json()["phone"] == APPLICANT["phone"]
    for principal in (who(OWN, LEADER), who(COUNTY, Role.DISCLOSURE_OFFICER, LEADER)):
        refused = await stack.http(
            "GET", f"/api/v1/disclosure/requests/{request_id}/applicant", headers=principal.headers(stack)
        )
        assert refused.status_code == 403, principal.name
    assert await audited(stack, "disclosure", f"request:{request_id}") == [officer.subject]
    for refused in (who(OWN, LEADER), who(COUNTY, Role.DISCLOSURE_OFFICER, LEADER)):
        entries = await stack.http(
            "GET", "/api/v1/audit/disclosure/entries", params={"subject": refused.subject},
            headers=AUDITOR.headers(stack),
        )  # fmt: skip
        assert [e["action"] for e in entries.json()] == ["denied:GetApplicant"], refused.name
