"""Open311 GeoReport v2 (http://wiki.open311.org/GeoReport_v2) over the hotline, under /open311/v2/.

Services are the topic taxonomy; a service request is a ticket filed through the Open311 channel, identified
by its ticket number. Only tickets filed through Open311 and not confidential are listed; no caller data is
ever returned. POST needs an api_key of the gateway's Open311 settings (gateway/config.py). Every resource answers
in .json or .xml; errors are an array of {code, description} (docs/hotline.md).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request, Response
from pydantic import BaseModel
from sunshine.hotline.v1 import hotline_pb2 as pb
from sunshine_kit.rpc.client import call
from sunshine_kit.timestamps import from_timestamp

from gateway.config import Open311Settings
from gateway.entrypoints.routers.open311 import filters, service_request
from gateway.entrypoints.routers.open311.rendering import FORMATS, Open311Error, answer, documented

router = APIRouter(prefix="/open311/v2", tags=["open311"])

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
STARTED = datetime.now(UTC)  # the discovery's changeset: the taxonomy only changes with a restart

Format = Annotated[str, Path(description="json or xml", json_schema_extra={"enum": list(FORMATS)})]
Jurisdiction = Annotated[str | None, Query(description="Optional; this stack's division code")]


class Service(BaseModel):
    service_code: str
    service_name: str
    description: str
    metadata: bool
    type: str
    keywords: str
    group: str


class ServiceRequest(BaseModel):
    service_request_id: str
    status: str
    status_notes: str | None
    service_name: str
    service_code: str
    description: str
    agency_responsible: str | None
    service_notice: str | None
    requested_datetime: str
    updated_datetime: str | None
    expected_datetime: str
    address: str
    address_id: str | None
    zipcode: str | None
    lat: float | None
    long: float | None
    media_url: str | None


@router.get(
    "/discovery.{fmt}", summary="Service discovery: this endpoint, its formats and contacts", responses=documented(400)
)
async def discovery(fmt: Format, request: Request) -> Response:
    async def document() -> dict[str, Any]:
        settings: Open311Settings = request.app.state.open311
        changeset = STARTED.isoformat(timespec="seconds")
        endpoint = {
            "specification": SPECIFICATION,
            "url": str(request.url_for("services", fmt="json")).removesuffix("/services.json"),
            "changeset": changeset,
            "type": "production",
            "formats": ["text/xml", "application/json"],
        }
        return {"changeset": changeset, "contact": settings.contact, "key_service": settings.key_service,
                "endpoints": [endpoint]}  # fmt: skip

    return await answer(fmt, "discovery", "", document)


@router.get(
    "/services.{fmt}", summary="Service list (the topic taxonomy)", responses=documented(400, 404, body=list[Service])
)
async def services(fmt: Format, request: Request, jurisdiction_id: Jurisdiction = None) -> Response:
    async def listed() -> list[dict[str, Any]]:
        _check_jurisdiction(request, jurisdiction_id)
        return await _services(request)

    return await answer(fmt, "services", "service", listed)


@router.get("/services/{code}.{fmt}", summary="Service definition", responses=documented(400, 404))
async def service_definition(
    code: str, fmt: Format, request: Request, jurisdiction_id: Jurisdiction = None
) -> Response:
    async def definition() -> dict[str, Any]:
        _check_jurisdiction(request, jurisdiction_id)
        await _topic_named(request, code)
        return {"service_code": code, "attributes": []}

    return await answer(fmt, "service_definition", "", definition)


@router.post(
    "/requests.{fmt}",
    summary="Create a service request (api_key required)",
    responses=documented(400, 403, 404, 415),
    openapi_extra={
        "requestBody": {
            "required": True,
            "description": "attribute[code] fields are refused: no service here has attributes",
            "content": {
                service_request.FORM_MEDIA_TYPE: {"schema": service_request.ServiceRequestForm.model_json_schema()}
            },
        }
    },
)
async def create_request(fmt: Format, request: Request) -> Response:
    async def created() -> list[dict[str, Any]]:
        fields = await service_request.form_of(request)
        if not request.app.state.open311.accepts(fields.get("api_key", "")):
            raise Open311Error(403, "api_key missing or not valid")
        form = service_request.checked(fields)
        _check_jurisdiction(request, form.jurisdiction_id)
        topic = await _topic_named(request, form.service_code)
        intake = service_request.intake(form, topic, request.app.state.identity.division)
        reply = await call(request.app.state.services.hotline.SubmitTicket, pb.SubmitTicketRequest(intake=intake))
        notice = f"已受理，工单编号 {reply.ticket.number}，查询码 {reply.code}"
        return [{"service_request_id": reply.ticket.number, "token": reply.ticket.id, "service_notice": notice,
                 "account_id": None}]  # fmt: skip

    return await answer(fmt, "service_requests", "request", created)


@router.get(
    "/requests.{fmt}",
    summary="Service requests, with the standard filters (at most 1000, at most 90 days)",
    responses=documented(400, 404, body=list[ServiceRequest]),
)
async def list_requests(
    fmt: Format,
    request: Request,
    service_request_id: Annotated[str | None, Query(description="Comma-separated; overrides the others")] = None,
    service_code: Annotated[str | None, Query(description="Comma-separated service codes")] = None,
    start_date: Annotated[str | None, Query(description="w3 date-time, e.g. 2010-01-01T00:00:00Z")] = None,
    end_date: Annotated[str | None, Query(description="w3 date-time; the window may not exceed 90 days")] = None,
    status: Annotated[str | None, Query(description="open, closed, or both comma-separated")] = None,
    jurisdiction_id: Jurisdiction = None,
) -> Response:
    async def listed() -> list[dict[str, Any]]:
        _check_jurisdiction(request, jurisdiction_id)
        message = filters.by_numbers(service_request_id or "")
        if message is None:
            start, end = filters.window(start_date, end_date, datetime.now(UTC))
            codes = [c.strip() for c in (service_code or "").split(",") if c.strip()]
            topics = [await _topic_named(request, code) for code in codes]
            message = filters.in_window(start, end, filters.openness(status), topics)
        return await _tickets(request, message)

    return await answer(fmt, "service_requests", "request", listed)


@router.get(
    "/requests/{number}.{fmt}", summary="One service request", responses=documented(400, 404, body=list[ServiceRequest])
)
async def get_request(number: str, fmt: Format, request: Request, jurisdiction_id: Jurisdiction = None) -> Response:
    async def one() -> list[dict[str, Any]]:
        _check_jurisdiction(request, jurisdiction_id)
        message = pb.ListTicketsRequest(numbers=[number], limit=1)
        return [await _ticket(request, message, f"service_request_id {number}")]

    return await answer(fmt, "service_requests", "request", one)


@router.get("/tokens/{token}.{fmt}", summary="The service request id for a token", responses=documented(400, 404))
async def token(token: str, fmt: Format, request: Request, jurisdiction_id: Jurisdiction = None) -> Response:
    async def lookup() -> list[dict[str, Any]]:
        _check_jurisdiction(request, jurisdiction_id)
        found = await _ticket(request, pb.ListTicketsRequest(ids=[token], limit=1), f"token {token}")
        return [{"service_request_id": found["service_request_id"], "token": token}]

    return await answer(fmt, "service_requests", "request", lookup)


def _check_jurisdiction(request: Request, jurisdiction_id: str | None) -> None:
    division = request.app.state.identity.division
    if jurisdiction_id and jurisdiction_id != division:
        raise Open311Error(404, f"jurisdiction_id {jurisdiction_id} not found: this endpoint serves {division}")


async def _services(request: Request) -> list[dict[str, Any]]:
    reply = await call(request.app.state.services.hotline.ListTopics, pb.ListTopicsRequest())
    return [
        Service(service_code=t.code, service_name=t.name, description=t.description, metadata=False,
                type="realtime", keywords="", group=t.group).model_dump()
        for t in reply.topics
    ]  # fmt: skip


async def _topic_named(request: Request, service_code: str) -> str:
    for service in await _services(request):
        if service["service_code"] == service_code:
            return service["service_name"]
    raise Open311Error(404, f"service_code {service_code} not found")


async def _tickets(request: Request, message: pb.ListTicketsRequest) -> list[dict[str, Any]]:
    """The public view: the hotline returns only Open311 tickets that are not confidential to anonymous calls."""
    codes = {s["service_name"]: s["service_code"] for s in await _services(request)}
    reply = await call(request.app.state.services.hotline.ListTickets, message)
    return [_service_request(t, codes.get(t.topic, "")) for t in reply.tickets]


async def _ticket(request: Request, message: pb.ListTicketsRequest, named: str) -> dict[str, Any]:
    found = await _tickets(request, message)
    if not found:
        raise Open311Error(404, f"{named} not found")
    return found[0]


def _service_request(ticket: pb.Ticket, service_code: str) -> dict[str, Any]:
    return ServiceRequest(
        service_request_id=ticket.number,
        status="open" if ticket.open else "closed",
        status_notes=ticket.state,
        service_name=ticket.topic,
        service_code=service_code,
        description=ticket.description,
        agency_responsible=ticket.lead_unit or None,
        service_notice=None,
        requested_datetime=_iso(ticket.accepted_at),
        updated_datetime=_iso(ticket.updated_at) if ticket.HasField("updated_at") else None,
        expected_datetime=_iso(ticket.due_at),
        address=ticket.address,
        address_id=None,
        zipcode=None,
        lat=ticket.latitude if ticket.HasField("latitude") else None,
        long=ticket.longitude if ticket.HasField("longitude") else None,
        media_url=ticket.media_url or None,
    ).model_dump()


def _iso(stamp: object) -> str:
    return from_timestamp(stamp).isoformat()  # type: ignore[arg-type]
