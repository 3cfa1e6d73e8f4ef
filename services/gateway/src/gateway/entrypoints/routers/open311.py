"""Open311 GeoReport v2 (http://wiki.open311.org/GeoReport_v2) over the hotline, under /open311/v2/.

Services are the topic taxonomy; a service request is a ticket filed through the Open311 channel, identified
by its ticket number. Only tickets filed through Open311 and not confidential are listed; no caller data is
ever returned. POST needs an api_key from SUNSHINE_OPEN311_API_KEYS (comma-separated). Every resource answers
in .json or .xml; errors are an array of {code, description} (docs/hotline.md).
"""

from __future__ import annotations

import hmac
import os
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qs
from xml.etree import ElementTree

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse
from sunshine.hotline.v1 import hotline_pb2 as pb
from sunshine_kit.errors import NotFound, SunshineError, ValidationFailed
from sunshine_kit.rpc.client import call
from sunshine_kit.timestamps import from_timestamp, to_timestamp

router = APIRouter(prefix="/open311/v2", tags=["open311"])

API_KEYS_VARIABLE = "SUNSHINE_OPEN311_API_KEYS"
OPENNESS = {frozenset({"open"}): pb.OPENNESS_OPEN, frozenset({"closed"}): pb.OPENNESS_CLOSED}
DEFAULT_SPAN = timedelta(days=90)
MAX_REQUESTS = 1000
FORMATS = ("json", "xml")


class Open311Error(Exception):
    def __init__(self, status: int, description: str) -> None:
        self.status, self.description = status, description
        super().__init__(description)


@router.get("/services.{fmt}", summary="Service list (the topic taxonomy)")
async def services(fmt: str, request: Request) -> Response:
    return await _answer(fmt, "services", "service", lambda: _services(request))


@router.get("/services/{code}.{fmt}", summary="Service definition")
async def service_definition(code: str, fmt: str, request: Request) -> Response:
    async def definition() -> dict[str, Any]:
        if not any(s["service_code"] == code for s in await _services(request)):
            raise Open311Error(404, f"service_code {code} not found")
        return {"service_code": code, "attributes": []}

    return await _answer(fmt, "service_definition", "", definition)


@router.post("/requests.{fmt}", summary="Create a service request (api_key required)")
async def create_request(fmt: str, request: Request) -> Response:
    return await _answer(fmt, "service_requests", "request", lambda: _create(request))


@router.get("/requests.{fmt}", summary="Service requests, with the standard filters")
async def list_requests(fmt: str, request: Request) -> Response:
    return await _answer(fmt, "service_requests", "request", lambda: _list(request))


@router.get("/requests/{number}.{fmt}", summary="One service request")
async def get_request(number: str, fmt: str, request: Request) -> Response:
    async def one() -> list[dict[str, Any]]:
        found = await _tickets(request, pb.ListTicketsRequest(numbers=[number], limit=1))
        if not found:
            raise Open311Error(404, f"service_request_id {number} not found")
        return found

    return await _answer(fmt, "service_requests", "request", one)


@router.get("/tokens/{token}.{fmt}", summary="The service request id for a token")
async def token(token: str, fmt: str, request: Request) -> Response:
    async def lookup() -> list[dict[str, Any]]:
        found = await _tickets(request, pb.ListTicketsRequest(ids=[token], limit=1))
        if not found:
            raise Open311Error(404, f"token {token} not found")
        return [{"service_request_id": found[0]["service_request_id"], "token": token}]

    return await _answer(fmt, "service_requests", "request", lookup)


async def _answer(fmt: str, root: str, item: str, produce) -> Response:  # type: ignore[no-untyped-def]
    """Runs `produce`, renders its result or the error in the asked format."""
    if fmt not in FORMATS:
        return _render("json", "errors", "error", [{"code": 400, "description": "format must be json or xml"}], 400)
    try:
        return _render(fmt, root, item, await produce(), 200)
    except Open311Error as error:
        return _render(fmt, "errors", "error", [{"code": error.status, "description": error.description}], error.status)
    except NotFound as error:
        return _render(fmt, "errors", "error", [{"code": 404, "description": str(error)}], 404)
    except ValidationFailed as error:
        problems = [{"code": 400, "description": f"{v.field}: {v.description}"} for v in error.violations]
        return _render(fmt, "errors", "error", problems, 400)
    except SunshineError as error:
        return _render(fmt, "errors", "error", [{"code": 400, "description": str(error)}], 400)


def _render(fmt: str, root: str, item: str, body: Any, status: int) -> Response:
    if fmt == "json":
        return JSONResponse(body, status_code=status)
    element = ElementTree.Element(root)
    for entry in body if isinstance(body, list) else [body]:
        _fill(ElementTree.SubElement(element, item) if item else element, entry)
    xml = ElementTree.tostring(element, encoding="unicode")
    return Response(f'<?xml version="1.0" encoding="utf-8"?>{xml}', status_code=status, media_type="text/xml")


def _fill(element: ElementTree.Element, entry: dict[str, Any]) -> None:
    for key, value in entry.items():
        child = ElementTree.SubElement(element, key)
        if isinstance(value, list):
            for nested in value:
                _fill(ElementTree.SubElement(child, key.removesuffix("s")), nested)
        elif isinstance(value, bool):
            child.text = str(value).lower()
        elif value is not None:
            child.text = str(value)


async def _services(request: Request) -> list[dict[str, Any]]:
    reply = await call(request.app.state.services.hotline.ListTopics, pb.ListTopicsRequest())
    return [
        {
            "service_code": t.code,
            "service_name": t.name,
            "description": t.description,
            "metadata": False,
            "type": "realtime",
            "keywords": "",
            "group": t.group,
        }
        for t in reply.topics
    ]


async def _create(request: Request) -> list[dict[str, Any]]:
    form = await _form(request)
    _check_api_key(form.get("api_key", ""))
    topic = await _topic_named(request, form.get("service_code", ""))
    address = _location(form)
    name = " ".join(part for part in (form.get("last_name", ""), form.get("first_name", "")) if part)
    intake = pb.TicketIntake(
        category=pb.CATEGORY_COMPLAINT,
        topic=topic,
        channel=pb.CHANNEL_OPEN311,
        place_division=request.app.state.identity.division,
        address=address,
        description=form.get("description", ""),
        caller=pb.Caller(name=name, phone=form.get("phone", "")),
    )
    reply = await call(request.app.state.services.hotline.SubmitTicket, pb.SubmitTicketRequest(intake=intake))
    notice = f"已受理，工单编号 {reply.ticket.number}，查询码 {reply.code}"
    return [
        {
            "service_request_id": reply.ticket.number,
            "token": reply.ticket.id,
            "service_notice": notice,
            "account_id": None,
        }
    ]


async def _list(request: Request) -> list[dict[str, Any]]:
    params = request.query_params
    ids = [i for i in params.get("service_request_id", "").split(",") if i]
    if ids:
        return await _tickets(request, pb.ListTicketsRequest(numbers=ids, limit=MAX_REQUESTS))
    end = _datetime(params.get("end_date"), "end_date") or datetime.now(UTC)
    start = _datetime(params.get("start_date"), "start_date") or end - DEFAULT_SPAN
    message = pb.ListTicketsRequest(
        openness=_openness(params.get("status", "")),
        topics=[await _topic_named(request, c) for c in params.get("service_code", "").split(",") if c],
        accepted_from=to_timestamp(start),
        accepted_until=to_timestamp(end),
        limit=MAX_REQUESTS,
    )
    return await _tickets(request, message)


async def _tickets(request: Request, message: pb.ListTicketsRequest) -> list[dict[str, Any]]:
    """The public view: the hotline returns only Open311 tickets that are not confidential to anonymous calls."""
    codes = {s["service_name"]: s["service_code"] for s in await _services(request)}
    reply = await call(request.app.state.services.hotline.ListTickets, message)
    return [_service_request(t, codes.get(t.topic, "")) for t in reply.tickets]


def _service_request(ticket: pb.Ticket, service_code: str) -> dict[str, Any]:
    return {
        "service_request_id": ticket.number,
        "status": "open" if ticket.open else "closed",
        "status_notes": ticket.state,
        "service_name": ticket.topic,
        "service_code": service_code,
        "description": ticket.description,
        "agency_responsible": ticket.lead_unit or None,
        "service_notice": None,
        "requested_datetime": _iso(ticket.accepted_at),
        "updated_datetime": _iso(ticket.updated_at) if ticket.HasField("updated_at") else None,
        "expected_datetime": _iso(ticket.due_at),
        "address": ticket.address,
        "address_id": None,
        "zipcode": None,
        "lat": None,
        "long": None,
        "media_url": None,
    }


async def _form(request: Request) -> dict[str, str]:
    body = (await request.body()).decode()
    values = {k: v[0] for k, v in parse_qs(body).items()}
    return {**dict(request.query_params), **values}


def _check_api_key(given: str) -> None:
    keys = [k.strip() for k in os.environ.get(API_KEYS_VARIABLE, "").split(",") if k.strip()]
    if not given or not any(hmac.compare_digest(given, key) for key in keys):
        raise Open311Error(403, "api_key missing or not valid")


async def _topic_named(request: Request, service_code: str) -> str:
    if not service_code:
        raise Open311Error(400, "service_code is required")
    for service in await _services(request):
        if service["service_code"] == service_code:
            return service["service_name"]
    raise Open311Error(404, f"service_code {service_code} not found")


def _location(form: dict[str, str]) -> str:
    """GeoReport needs lat+long, address_string or address_id; kept as the ticket's address text."""
    if form.get("address_string"):
        return form["address_string"]
    if form.get("lat") and form.get("long"):
        return f"{form['lat']},{form['long']}"
    if form.get("address_id"):
        return f"address_id:{form['address_id']}"
    raise Open311Error(400, "a location is required: lat and long, address_string or address_id")


def _openness(status: str) -> pb.Openness.ValueType:
    wanted = frozenset(s.strip() for s in status.split(",") if s.strip())
    if wanted - {"open", "closed"}:
        raise Open311Error(400, "status must be open or closed")
    return OPENNESS.get(wanted, pb.OPENNESS_UNSPECIFIED)  # none or both: every ticket


def _datetime(text: str | None, name: str) -> datetime | None:
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError as error:
        raise Open311Error(400, f"{name} must be a w3 date-time, e.g. 2010-01-01T00:00:00Z") from error
    if moment.tzinfo is None:
        raise Open311Error(400, f"{name} must include a time zone")
    return moment


def _iso(stamp: object) -> str:
    return from_timestamp(stamp).isoformat()  # type: ignore[arg-type]
