"""The one mapping between Sunshine errors and gRPC status codes, both ways, with field-level details."""

from __future__ import annotations

import grpc
from google.protobuf import any_pb2
from google.rpc import error_details_pb2, status_pb2
from grpc_status import rpc_status

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

_CODES: tuple[tuple[type[SunshineError], grpc.StatusCode], ...] = (
    (ValidationFailed, grpc.StatusCode.INVALID_ARGUMENT),
    (NotFound, grpc.StatusCode.NOT_FOUND),
    (IllegalTransition, grpc.StatusCode.FAILED_PRECONDITION),
    (Unauthenticated, grpc.StatusCode.UNAUTHENTICATED),
    (PermissionDenied, grpc.StatusCode.PERMISSION_DENIED),
    (DependencyUnavailable, grpc.StatusCode.UNAVAILABLE),
    (TooLarge, grpc.StatusCode.RESOURCE_EXHAUSTED),
)
# Carries the state an illegal transition was refused in, so the caller sees it without parsing text.
_CURRENT_STATE_REASON = "ILLEGAL_TRANSITION"


def status_code_of(error: SunshineError) -> grpc.StatusCode:
    for error_type, code in _CODES:
        if isinstance(error, error_type):
            return code
    return grpc.StatusCode.FAILED_PRECONDITION


def to_status(error: SunshineError) -> grpc.Status:
    code = status_code_of(error)
    status = status_pb2.Status(code=code.value[0], message=str(error))
    for detail in _details(error):
        packed = any_pb2.Any()
        packed.Pack(detail)
        status.details.append(packed)
    return rpc_status.to_status(status)


def _details(error: SunshineError) -> list:
    if isinstance(error, ValidationFailed):
        violations = [
            error_details_pb2.BadRequest.FieldViolation(field=v.field, description=v.description)
            for v in error.violations
        ]
        return [error_details_pb2.BadRequest(field_violations=violations)]
    if isinstance(error, IllegalTransition):
        metadata = {"action": error.action, "current_state": error.current_state}
        return [error_details_pb2.ErrorInfo(reason=_CURRENT_STATE_REASON, metadata=metadata)]
    return []


def from_status(status: status_pb2.Status | None, code: grpc.StatusCode, message: str) -> SunshineError:
    """The Sunshine error a failed call stands for; UNAVAILABLE and DEADLINE_EXCEEDED mean a dependency is down."""
    details = list(status.details) if status else []
    if code == grpc.StatusCode.INVALID_ARGUMENT:
        return ValidationFailed(*_violations(details, message))
    if code == grpc.StatusCode.FAILED_PRECONDITION:
        info = _unpack(details, error_details_pb2.ErrorInfo)
        if info and info.reason == _CURRENT_STATE_REASON:
            return IllegalTransition(info.metadata["action"], info.metadata["current_state"])
    for error_type, error_code in _CODES:
        if code == error_code and error_type not in (ValidationFailed, IllegalTransition):
            return error_type(message)
    if code == grpc.StatusCode.DEADLINE_EXCEEDED:
        return DependencyUnavailable(message)
    if code == grpc.StatusCode.FAILED_PRECONDITION:
        return SunshineError(message)
    raise RuntimeError(f"unexpected gRPC status {code.name}: {message}")


def _violations(details: list[any_pb2.Any], message: str) -> list[FieldViolation]:
    bad_request = _unpack(details, error_details_pb2.BadRequest)
    if bad_request is None:
        return [FieldViolation("", message)]
    return [FieldViolation(v.field, v.description) for v in bad_request.field_violations]


def _unpack(details: list[any_pb2.Any], message_type):  # type: ignore[no-untyped-def]
    for detail in details:
        if detail.Is(message_type.DESCRIPTOR):
            message = message_type()
            detail.Unpack(message)
            return message
    return None
