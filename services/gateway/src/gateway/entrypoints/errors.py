"""One stable JSON error body for every failure the caller can fix; gRPC statuses become HTTP codes here."""

from __future__ import annotations

from http import HTTPStatus

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException
from sunshine_kit.errors import (
    DependencyUnavailable,
    FieldViolation,
    IllegalTransition,
    NotFound,
    PermissionDenied,
    SunshineError,
    TooLarge,
    Unauthenticated,
    ValidationFailed,
)

_HTTP: tuple[tuple[type[SunshineError], int, str], ...] = (
    (ValidationFailed, 400, "INVALID_ARGUMENT"),
    (Unauthenticated, 401, "UNAUTHENTICATED"),
    (PermissionDenied, 403, "PERMISSION_DENIED"),
    (NotFound, 404, "NOT_FOUND"),
    (IllegalTransition, 409, "FAILED_PRECONDITION"),
    (TooLarge, 413, "RESOURCE_EXHAUSTED"),
    (DependencyUnavailable, 503, "UNAVAILABLE"),
)
_CODE_OF_STATUS = {status: code for _, status, code in _HTTP}


class FieldViolationView(BaseModel):
    field: str = Field(description="The offending field, dotted for nested ones (caller.phone, entry_ids.0)")
    description: str


class ErrorDetail(BaseModel):
    code: str = Field(description="INVALID_ARGUMENT, UNAUTHENTICATED, PERMISSION_DENIED, NOT_FOUND, …")
    message: str
    field_violations: list[FieldViolationView] | None = Field(None, description="400: every offending field")
    current_state: str | None = Field(None, description="409 of an illegal transition: the state it is in")


class ErrorBody(BaseModel):
    """What every error answer carries."""

    error: ErrorDetail


def http_status(error: SunshineError) -> tuple[int, str]:
    """The HTTP status and the stable code that stand for this error."""
    return next(((s, c) for t, s, c in _HTTP if isinstance(error, t)), (409, "FAILED_PRECONDITION"))


def error_response(error: SunshineError) -> JSONResponse:
    status, code = http_status(error)
    detail = ErrorDetail(code=code, message=str(error))
    if isinstance(error, ValidationFailed):
        detail.field_violations = _views(error.violations)
    if isinstance(error, IllegalTransition):
        detail.current_state = error.current_state
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    return _answer(status, detail, headers)


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(SunshineError)
    async def _sunshine_error(_request: Request, error: SunshineError) -> JSONResponse:
        return error_response(error)

    @app.exception_handler(RequestValidationError)
    async def _request_invalid(_request: Request, error: RequestValidationError) -> JSONResponse:
        violations = [
            FieldViolation(".".join(str(p) for p in e["loc"] if p not in ("body", "query", "path")), e["msg"])
            for e in error.errors()
        ]
        return error_response(ValidationFailed(*violations))

    @app.exception_handler(HTTPException)
    async def _http_error(_request: Request, error: HTTPException) -> JSONResponse:
        """What the framework answers itself (no such path, a method the path does not take, a body too large)
        in the same body as everything else."""
        code = _CODE_OF_STATUS.get(error.status_code, HTTPStatus(error.status_code).name)
        return _answer(error.status_code, ErrorDetail(code=code, message=error.detail), error.headers)


def _views(violations: tuple[FieldViolation, ...]) -> list[FieldViolationView]:
    return [FieldViolationView(field=v.field, description=v.description) for v in violations]


def _answer(status: int, detail: ErrorDetail, headers: dict[str, str] | None) -> JSONResponse:
    body = ErrorBody(error=detail).model_dump(exclude_none=True)
    return JSONResponse(body, status_code=status, headers=headers)
