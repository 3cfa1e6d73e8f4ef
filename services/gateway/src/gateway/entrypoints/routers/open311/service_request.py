"""POST requests.{fmt}: the form a GeoReport v2 client sends, checked, as the hotline's ticket intake.

Decisions (docs/hotline.md): the body must be application/x-www-form-urlencoded in UTF-8, as the specification
says (anything else is 415, invalid UTF-8 a 400); `email` becomes the caller's email (sealed, never listed);
`media_url` is kept and listed; `attribute[…]` is refused, since no service here has attributes; `device_id` and
`account_id` are not kept (no accounts here, and a device id is personal data with no use to the hotline).
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import parse_qsl

from fastapi import Request
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from sunshine.hotline.v1 import hotline_pb2 as pb

from gateway.entrypoints.routers.open311.rendering import Open311Error

FORM_MEDIA_TYPE = "application/x-www-form-urlencoded"
MAX_FIELDS = 100
_ATTRIBUTE = re.compile(r"attribute\[(.*)\]")


class ServiceRequestForm(BaseModel):
    """The specification's arguments of POST Service Request (the OpenAPI shows this as the form)."""

    model_config = ConfigDict(extra="ignore")

    api_key: str = Field("", description="Required: a key issued by this stack (SUNSHINE_OPEN311_API_KEYS)")
    jurisdiction_id: str | None = Field(None, description="This stack's division code, if given")
    service_code: str = Field("", description="Required: from GET services")
    lat: float | None = Field(None, ge=-90, le=90, allow_inf_nan=False, description="WGS84 latitude, with long")
    long: float | None = Field(None, ge=-180, le=180, allow_inf_nan=False, description="WGS84 longitude, with lat")
    address_string: str = Field("", description="The place in words; lat+long, address_string or address_id")
    address_id: str = Field("", description="An address id of the jurisdiction")
    email: str = Field("", description="The caller's email: stored sealed, never listed")
    device_id: str = Field("", description="Accepted, not kept")
    account_id: str = Field("", description="Accepted, not kept (no accounts here)")
    first_name: str = ""
    last_name: str = ""
    phone: str = Field("", description="The caller's phone: stored sealed, never listed")
    description: str = Field("", max_length=4000, description="Optional; up to 4,000 characters")
    media_url: str = Field("", description="A public http(s) URL of a photo or other media")


async def form_of(request: Request) -> dict[str, str]:
    """The form's fields (query string fields too: some clients send api_key there); the body wins."""
    media_type = request.headers.get("content-type", "").partition(";")[0].strip().lower()
    body = await request.body()
    if body and media_type != FORM_MEDIA_TYPE:
        raise Open311Error(415, f"send the form as {FORM_MEDIA_TYPE} (GeoReport v2), not {media_type or 'untyped'}")
    try:
        fields = parse_qsl(body.decode(), keep_blank_values=True, errors="strict", max_num_fields=MAX_FIELDS)
    except UnicodeDecodeError:
        raise Open311Error(400, "the form is not valid UTF-8 (GeoReport v2 requires UTF-8)") from None
    except ValueError:
        raise Open311Error(400, f"the form has more than {MAX_FIELDS} fields") from None
    return {**request.query_params, **dict(fields)}


def checked(fields: dict[str, str]) -> ServiceRequestForm:
    try:
        form = ServiceRequestForm.model_validate(fields)
    except ValidationError as error:
        raise Open311Error(400, "; ".join(f"{_name(e)}: {e['msg']}" for e in error.errors())) from None
    if not form.service_code:
        raise Open311Error(400, "service_code is required")
    attributes = [name for name in fields if _ATTRIBUTE.fullmatch(name)]
    if attributes:
        raise Open311Error(400, f"{attributes[0]}: service {form.service_code} has no attributes (metadata false)")
    return form


def intake(form: ServiceRequestForm, topic: str, division: str) -> pb.TicketIntake:
    name = " ".join(part for part in (form.last_name, form.first_name) if part)
    return pb.TicketIntake(
        category=pb.CATEGORY_COMPLAINT,
        topic=topic,
        channel=pb.CHANNEL_OPEN311,
        place_division=division,
        address=_place(form),
        description=form.description,
        caller=pb.Caller(name=name, phone=form.phone, email=form.email),
        latitude=form.lat,
        longitude=form.long,
        media_url=form.media_url,
    )


def _place(form: ServiceRequestForm) -> str:
    """The place in words, as the ticket's address: the coordinates themselves when nothing else was given (they
    are also kept as numbers), so work handed down to a township still says where."""
    if form.address_string:
        return form.address_string
    if form.lat is not None and form.long is not None:
        return f"{form.lat},{form.long}"
    if form.address_id:
        return f"address_id:{form.address_id}"
    raise Open311Error(400, "a location is required: lat and long, address_string or address_id")


def _name(error: Any) -> str:
    return ".".join(str(part) for part in error["loc"]) or "form"
