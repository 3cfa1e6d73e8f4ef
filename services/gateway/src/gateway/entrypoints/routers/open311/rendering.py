"""Open311 answers in JSON or XML, and its errors: an array of {code, description} (GeoReport v2).

XML 1.0 cannot carry most control characters, not even as character references: text stored before intake
dropped them (hotline/domain/plain_text.py) is written with U+FFFD in their place, so one ticket cannot make the
whole list unreadable. JSON escapes them itself.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from typing import Any
from xml.etree import ElementTree

from fastapi import Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sunshine_kit.errors import SunshineError, ValidationFailed

from gateway.entrypoints.errors import http_status

FORMATS = ("json", "xml")
XML_MEDIA_TYPE = "text/xml"
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
# The hotline's field names as the GeoReport v2 client knows them.
_FIELD_NAMES = {
    "latitude": "lat",
    "longitude": "long",
    "address": "address_string",
    "caller.email": "email",
    "caller.phone": "phone",
    "caller.name": "first_name/last_name",
}


ERRORS = {
    400: "a parameter is missing or not valid (the description names it), or the format is neither json nor xml",
    403: "api_key missing or not valid",
    404: "no such service_code, service_request_id, token or jurisdiction_id",
    415: "the body is not application/x-www-form-urlencoded",
}
_XML_TOO = {"content": {XML_MEDIA_TYPE: {"schema": {"type": "string", "description": "<errors><error>…"}}}}


class ErrorItem(BaseModel):
    code: int
    description: str


class Open311Error(Exception):
    def __init__(self, status: int, description: str) -> None:
        self.status, self.description = status, description
        super().__init__(description)


async def answer(fmt: str, root: str, item: str, produce: Callable[[], Awaitable[Any]]) -> Response:
    """Runs `produce` and renders its result, or the error, in the asked format (JSON if that is unknown)."""
    if fmt not in FORMATS:
        return errors("json", 400, "format must be json or xml: append .json or .xml to the resource")
    try:
        return render(fmt, root, item, await produce(), 200)
    except Open311Error as error:
        return errors(fmt, error.status, error.description)
    except ValidationFailed as error:
        return errors(fmt, 400, *(f"{_FIELD_NAMES.get(v.field, v.field)}: {v.description}" for v in error.violations))
    except SunshineError as error:
        return errors(fmt, http_status(error)[0], str(error))


def errors(fmt: str, status: int, *descriptions: str) -> Response:
    return render(fmt, "errors", "error", [{"code": status, "description": d} for d in descriptions], status)


def render(fmt: str, root: str, item: str, body: Any, status: int) -> Response:
    if fmt == "json":
        return JSONResponse(body, status_code=status)
    element = ElementTree.Element(root)
    for entry in body if isinstance(body, list) else [body]:
        _fill(ElementTree.SubElement(element, item) if item else element, entry)
    xml = ElementTree.tostring(element, encoding="unicode")
    return Response(f'<?xml version="1.0" encoding="utf-8"?>{xml}', status_code=status, media_type=XML_MEDIA_TYPE)


def xml_text(value: object) -> str:
    return _NOT_XML.sub("\ufffd", str(value))


def _fill(element: ElementTree.Element, entry: dict[str, Any]) -> None:
    for key, value in entry.items():
        child = ElementTree.SubElement(element, key)
        if isinstance(value, list):
            for nested in value:
                _set(ElementTree.SubElement(child, key.removesuffix("s")), nested)
        else:
            _set(child, value)


def _set(element: ElementTree.Element, value: object) -> None:
    if isinstance(value, dict):
        _fill(element, value)
    elif isinstance(value, bool):
        element.text = str(value).lower()
    elif value is not None:
        element.text = xml_text(value)


def documented(*statuses: int, body: type | None = None) -> dict[int | str, dict[str, Any]]:
    """OpenAPI `responses` for an Open311 operation: 200 in JSON and XML, and the errors it may answer."""
    ok: dict[str, Any] = {"content": {XML_MEDIA_TYPE: {"schema": {"type": "string"}}}}
    if body is not None:
        ok["model"] = body
    responses: dict[int | str, dict[str, Any]] = {200: ok}
    for status in statuses:
        responses[status] = {"model": list[ErrorItem], "description": ERRORS[status], **_XML_TOO}
    # Also keeps FastAPI from listing a 422, which no Open311 resource answers.
    other = "503 while the hotline is unavailable, 429 over the rate limit (JSON, Retry-After): the same array"
    responses["default"] = {"model": list[ErrorItem], "description": other, **_XML_TOO}
    return responses
