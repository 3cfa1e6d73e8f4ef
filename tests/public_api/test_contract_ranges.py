"""Inputs the contracts cannot carry (integers beyond protobuf int32, days not YYYY-MM-DD, moments beyond a
Timestamp, counts that are not JSON numbers) are refused at the gateway with 400 naming the field, after the
caller's role: a caller without the right gets 403 whatever they send."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import grpc
import pytest
from sunshine.disclosure.v1 import disclosure_pb2 as disclosure
from sunshine.disclosure.v1 import disclosure_pb2_grpc
from sunshine.hotline.v1 import hotline_pb2 as hotline
from sunshine.hotline.v1 import hotline_pb2_grpc
from sunshine_kit.auth import Role, bearer_metadata

from tests.stack_in_process import InProcessStack

pytestmark = pytest.mark.nats

TOO_BIG, TOO_SMALL = 2**31, -(2**31) - 1
TICKETS = "/api/v1/hotline/tickets"
REPORTS = "/api/v1/disclosure/annual-reports"


@dataclass(frozen=True)
class Operation:
    """One gated operation: a valid request through the gateway, the same with one integer out of range, and
    the same call made to the service directly."""

    name: str
    method: str
    path: str
    field: str
    valid: dict[str, Any]
    out_of_range: dict[str, Any]
    service: str
    rpc: str
    message: Any
    path_out_of_range: str | None = None


FIGURES = {"licensing_decisions": 1}
RECORD_FIGURES = disclosure.RecordReportFiguresRequest(
    figures=disclosure.ReportFigures(year=2025, review_and_litigation=[0] * 15)
)
OPERATIONS = [
    Operation(
        "ticket list", "GET", TICKETS, "limit", {"params": {"limit": 5}}, {"params": {"limit": TOO_BIG}},
        "hotline", "ListTickets", hotline.ListTicketsRequest(limit=5),
    ),
    Operation(
        "knowledge", "GET", "/api/v1/hotline/knowledge", "limit",
        {"params": {"q": "垃圾", "limit": 5}}, {"params": {"q": "垃圾", "limit": TOO_SMALL}},
        "hotline", "SearchKnowledge", hotline.SearchKnowledgeRequest(query="垃圾", limit=5),
    ),
    Operation(
        "request list", "GET", "/api/v1/disclosure/requests", "limit",
        {"params": {"limit": 5}}, {"params": {"limit": TOO_BIG}},
        "disclosure", "ListRequests", disclosure.ListRequestsRequest(limit=5),
    ),
    Operation(
        "extension", "POST", "/api/v1/disclosure/requests/no-such-request/actions", "days",
        {"json": {"action": "extend", "days": 5}}, {"json": {"action": "extend", "days": TOO_BIG}},
        "disclosure", "ActOnRequest", disclosure.ActOnRequestRequest(id="no-such-request", action="extend", days=5),
    ),
    Operation(
        "figures", "PUT", f"{REPORTS}/2025/figures", "year", {"json": FIGURES}, {"json": FIGURES},
        "disclosure", "RecordReportFigures",
        RECORD_FIGURES,
        path_out_of_range=f"{REPORTS}/{TOO_BIG}/figures",
    ),
    Operation(
        "figures' counts", "PUT", f"{REPORTS}/2025/figures", "review_and_litigation.3",
        {"json": FIGURES}, {"json": {"review_and_litigation": [0, 0, 0, TOO_BIG] + [0] * 11}},
        "disclosure", "RecordReportFigures",
        RECORD_FIGURES,
    ),
    Operation(
        "annual report", "GET", f"{REPORTS}/2025", "year", {}, {},
        "disclosure", "ExportAnnualReport", disclosure.ExportAnnualReportRequest(year=2025),
        path_out_of_range=f"{REPORTS}/{TOO_SMALL}",
    ),
    Operation(
        "consolidated report", "GET", f"{REPORTS}/2025/consolidated", "year", {}, {},
        "disclosure", "ExportConsolidatedAnnualReport", disclosure.ExportConsolidatedAnnualReportRequest(year=2025),
        path_out_of_range=f"{REPORTS}/{TOO_BIG}/consolidated",
    ),
]
STUBS = {"hotline": hotline_pb2_grpc.HotlineServiceStub, "disclosure": disclosure_pb2_grpc.DisclosureServiceStub}


async def test_each_role_gets_403_or_400_for_an_integer_out_of_range_as_it_gets_403_or_not_from_the_service(
    stack: InProcessStack,
) -> None:
    """For every role: 403 at the gateway exactly when the service itself refuses the role (asked directly),
    and then 403 also with an integer out of range; otherwise that integer is a 400 naming the field."""
    seen = {}
    for operation in OPERATIONS:
        for role in Role:
            headers = stack.token(role)
            valid = await stack.http(operation.method, operation.path, headers=headers, **operation.valid)
            path = operation.path_out_of_range or operation.path
            invalid = await stack.http(operation.method, path, headers=headers, **operation.out_of_range)
            denied_by_service = await _service_denies(stack, operation, role)
            seen[(operation.name, role)] = (valid.status_code, invalid.status_code)

            assert (valid.status_code == 403) == denied_by_service, (operation.name, role, valid.text)
            if denied_by_service:
                assert invalid.status_code == 403, (operation.name, role, invalid.text)
            else:
                assert invalid.status_code == 400, (operation.name, role, invalid.text)
                assert [v["field"] for v in invalid.json()["error"]["field_violations"]] == [operation.field]
    # The table is not vacuous: some roles pass every gate, some are stopped by each.
    for operation in OPERATIONS:
        codes = {seen[(operation.name, role)][1] for role in Role}
        assert codes == {400, 403}, operation.name


async def _service_denies(stack: InProcessStack, operation: Operation, role: Role) -> bool:
    token = stack.token(role)["Authorization"].removeprefix("Bearer ")
    async with grpc.aio.insecure_channel(stack.settings.grpc_addr(operation.service)) as channel:
        rpc = getattr(STUBS[operation.service](channel), operation.rpc)
        try:
            await rpc(operation.message, metadata=bearer_metadata(token))
        except grpc.aio.AioRpcError as error:
            return error.code() == grpc.StatusCode.PERMISSION_DENIED
    return False


async def test_a_negative_limit_is_refused_by_the_gateway_and_by_the_hotline_itself(stack: InProcessStack) -> None:
    operator = stack.token(Role.HOTLINE_OPERATOR)
    for path, params in ((TICKETS, {"limit": -5}), ("/api/v1/hotline/knowledge", {"q": "垃圾", "limit": -5})):
        refused = await stack.http("GET", path, params=params, headers=operator)
        assert refused.status_code == 400, refused.text
        assert refused.json()["error"]["field_violations"][0]["field"] == "limit"

    token = operator["Authorization"].removeprefix("Bearer ")
    async with grpc.aio.insecure_channel(stack.settings.grpc_addr("hotline")) as channel:
        service = hotline_pb2_grpc.HotlineServiceStub(channel)
        for rpc, message in (
            (service.ListTickets, hotline.ListTicketsRequest(limit=-5)),
            (service.SearchKnowledge, hotline.SearchKnowledgeRequest(query="垃圾", limit=-5)),
        ):
            with pytest.raises(grpc.aio.AioRpcError) as refused_by_service:
                await rpc(message, metadata=bearer_metadata(token))
            assert refused_by_service.value.code() == grpc.StatusCode.INVALID_ARGUMENT
            assert "limit" in (refused_by_service.value.details() or "")


@pytest.mark.parametrize(
    ("path", "params", "field"),
    [
        ("/api/v1/disclosure/catalogue", {"q": "垃圾", "limit": TOO_BIG}, "limit"),
        ("/api/v1/disclosure/catalogue", {"q": "垃圾", "offset": TOO_SMALL}, "offset"),
        ("/api/v1/disclosure/catalogue", {"q": "垃圾", "offset": -1}, "offset"),
    ],
)
async def test_the_public_catalogue_search_refuses_integers_out_of_range(
    stack: InProcessStack, path: str, params: dict[str, Any], field: str
) -> None:
    refused = await stack.http("GET", path, params=params)
    assert refused.status_code == 400, refused.text
    assert refused.json()["error"]["field_violations"][0]["field"] == field


async def test_days_and_moments_outside_what_the_contracts_carry_are_refused_naming_the_field(
    stack: InProcessStack,
) -> None:
    operator = stack.token(Role.HOTLINE_OPERATOR)
    for day in ("0", "1700000000"):  # would be read as Unix times
        refused = await stack.http("GET", "/api/v1/hotline/hotspots", params={"to": day}, headers=operator)
        assert refused.status_code == 400, refused.text
        assert refused.json()["error"]["field_violations"][0]["field"] == "to"

    ticket = {
        "category": "inquiry",
        "topic": "环境卫生",
        "channel": "phone",
        "place_division": "510100",
        "description": "垃圾分类投放有什么规定",
    }
    created = await stack.http("POST", TICKETS, json=ticket, headers=operator)
    assert created.status_code == 201, created.text
    for until in ("9999-12-31T23:59:59-12:00", "0001-01-01T00:00:00+14:00", 0):
        body = {"action": "request_extension", "until": until}
        path = f"{TICKETS}/{created.json()['id']}/transitions"
        refused = await stack.http("POST", path, json=body, headers=operator)
        assert refused.status_code == 400, (until, refused.text)
        assert refused.json()["error"]["field_violations"][0]["field"] == "until"


async def test_a_count_in_a_body_must_be_a_json_number(stack: InProcessStack) -> None:
    """Pydantic alone would read "5" as 5 and true as 1."""
    officer = stack.token(Role.DISCLOSURE_OFFICER)
    cases = (({"action": "extend", "days": "5"}, "days"), ({"action": "notify_fee", "quantity": True}, "quantity"))
    for body, field in cases:
        refused = await stack.http("POST", "/api/v1/disclosure/requests/no-such/actions", json=body, headers=officer)
        assert refused.status_code == 400, refused.text
        assert refused.json()["error"]["field_violations"][0]["field"] == field
