"""One stable JSON error body for every failure the caller can fix; gRPC statuses become HTTP codes here."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sunshine_kit.errors import (
    DependencyUnavailable,
    IllegalTransition,
    NotFound,
    PermissionDenied,
    SunshineError,
    Unauthenticated,
    ValidationFailed,
)

_HTTP: tuple[tuple[type[SunshineError], int, str], ...] = (
    (ValidationFailed, 400, "INVALID_ARGUMENT"),
    (Unauthenticated, 401, "UNAUTHENTICATED"),
    (PermissionDenied, 403, "PERMISSION_DENIED"),
    (NotFound, 404, "NOT_FOUND"),
    (IllegalTransition, 409, "FAILED_PRECONDITION"),
    (DependencyUnavailable, 503, "UNAVAILABLE"),
)


def http_status(error: SunshineError) -> tuple[int, str]:
    """The HTTP status and the stable code that stand for this error."""
    return next(((s, c) for t, s, c in _HTTP if isinstance(error, t)), (409, "FAILED_PRECONDITION"))


def error_response(error: SunshineError) -> JSONResponse:
    status, code = http_status(error)
    body: dict[str, Any] = {"code": code, "message": str(error)}
    if isinstance(error, ValidationFailed):
        body["field_violations"] = [{"field": v.field, "description": v.description} for v in error.violations]
    if isinstance(error, IllegalTransition):
        body["current_state"] = error.current_state
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    return JSONResponse({"error": body}, status_code=status, headers=headers)


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(SunshineError)
    async def _sunshine_error(_request: Request, error: SunshineError) -> JSONResponse:
        return error_response(error)

    @app.exception_handler(RequestValidationError)
    async def _request_invalid(_request: Request, error: RequestValidationError) -> JSONResponse:
        violations = [
            {"field": ".".join(str(p) for p in e["loc"] if p not in ("body", "query", "path")), "description": e["msg"]}
            for e in error.errors()
        ]
        message = "; ".join(f"{v['field']}: {v['description']}" for v in violations)
        body = {"code": "INVALID_ARGUMENT", "message": message, "field_violations": violations}
        return JSONResponse({"error": body}, status_code=400)
