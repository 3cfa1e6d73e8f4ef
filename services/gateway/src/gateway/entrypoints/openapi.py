"""The OpenAPI document tells every answer each operation gives, with the stable error body.

Which errors an operation can answer follows from what the document already says of it, so a new operation is
described without more work: input (parameters or a body) can be invalid (400), a body too large (413), a staff
token missing or without the right (401, 403), a public one over its rate limit (429); and from what its router
calls: a service of the stack refuses with 400, 404 or 409 and may be unavailable (503), the sync status reads
NATS (503). The API answers 400 for invalid input, never FastAPI's 422, so 422 is not advertised. Open311
answers errors in the GeoReport format and describes them itself.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI

from gateway.entrypoints.errors import ErrorBody
from gateway.entrypoints.rate_limits import LIMITED_PREFIXES

_DESCRIPTIONS = {
    400: "Invalid input: every offending field is named in field_violations",
    401: "No valid staff bearer token",
    403: "The token's role or division does not allow this",
    404: "No such resource (or not one this caller may see)",
    409: "Refused in the current state (current_state names it)",
    413: "The request body, or the answer asked for, is over the size limit",
    429: "Over a public rate limit (signed-out callers): Retry-After says when to try again",
    503: "A service or NATS this operation needs is unavailable; try again later",
}
_SERVICE_CALL = {400, 404, 409, 413, 503}
_ERRORS_BY_TAG: dict[str, set[int]] = {
    "hotline": _SERVICE_CALL,
    "disclosure": _SERVICE_CALL,
    "evaluation": _SERVICE_CALL,
    "sync": {503},
}
_OWN_ERROR_FORMAT = {"open311"}
_SCHEMAS = "#/components/schemas/"


def install_openapi(app: FastAPI) -> None:
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        return _documented(generate())

    app.openapi = openapi  # type: ignore[method-assign]


def _documented(document: dict[str, Any]) -> dict[str, Any]:
    """Adds the error answers to every operation, in place (FastAPI keeps the document it generated)."""
    schemas = document.setdefault("components", {}).setdefault("schemas", {})
    schemas.pop("HTTPValidationError", None)
    schemas.pop("ValidationError", None)
    body = ErrorBody.model_json_schema(ref_template=_SCHEMAS + "{model}")
    schemas.update(body.pop("$defs"))
    schemas[ErrorBody.__name__] = body
    for path, operation in _operations(document):
        responses = operation["responses"]
        responses.pop("422", None)
        for status in sorted(_errors_of(path, operation)):
            responses.setdefault(str(status), _error_answer(status))
    return document


def _operations(document: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    return [(path, operation) for path, item in document.get("paths", {}).items() for operation in item.values()]


def _errors_of(path: str, operation: dict[str, Any]) -> set[int]:
    tags = set(operation.get("tags", ()))
    if tags & _OWN_ERROR_FORMAT:
        return set()
    errors: set[int] = set().union(*(_ERRORS_BY_TAG.get(tag, set()) for tag in tags))
    if operation.get("parameters") or "requestBody" in operation:
        errors.add(400)
    if "requestBody" in operation:
        errors.add(413)
    if operation.get("security"):
        errors |= {401, 403}
    elif path.startswith(LIMITED_PREFIXES):
        errors.add(429)  # the public rate limits apply to every operation of the API without a token
    return errors


def _error_answer(status: int) -> dict[str, Any]:
    schema = {"$ref": _SCHEMAS + ErrorBody.__name__}
    return {"description": _DESCRIPTIONS[status], "content": {"application/json": {"schema": schema}}}
