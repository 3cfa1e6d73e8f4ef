"""Sunshine errors <-> gRPC statuses with details, both ways."""

from __future__ import annotations

from dataclasses import dataclass

import grpc
import pytest
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
from sunshine_kit.rpc.status import from_status, status_code_of, to_status


@dataclass
class _FailedCall:
    """What a client sees of a failed call: code, details and trailing metadata (the grpc.Call surface)."""

    status: grpc.Status

    def code(self) -> grpc.StatusCode:
        return self.status.code

    def details(self) -> str:
        return self.status.details

    def trailing_metadata(self) -> tuple:
        return self.status.trailing_metadata


def rich_status(error: SunshineError) -> status_pb2.Status:
    status = rpc_status.from_call(_FailedCall(to_status(error)))
    assert status is not None
    return status


def round_trip(error: SunshineError) -> SunshineError:
    status = to_status(error)
    return from_status(rpc_status.from_call(_FailedCall(status)), status.code, status.details)


@pytest.mark.parametrize(
    ("error", "code"),
    [
        (ValidationFailed.field("title", "must not be empty"), grpc.StatusCode.INVALID_ARGUMENT),
        (NotFound("ticket t-1 not found"), grpc.StatusCode.NOT_FOUND),
        (IllegalTransition("sign", "受理"), grpc.StatusCode.FAILED_PRECONDITION),
        (Unauthenticated("token expired"), grpc.StatusCode.UNAUTHENTICATED),
        (PermissionDenied("not in your jurisdiction"), grpc.StatusCode.PERMISSION_DENIED),
        (DependencyUnavailable("hotline is down"), grpc.StatusCode.UNAVAILABLE),
        (TooLarge("request body over 1 MiB"), grpc.StatusCode.RESOURCE_EXHAUSTED),
        (SunshineError("other caller error"), grpc.StatusCode.FAILED_PRECONDITION),
    ],
    ids=lambda value: type(value).__name__ if isinstance(value, SunshineError) else value.name,
)
def test_each_error_kind_has_its_status_code(error: SunshineError, code: grpc.StatusCode) -> None:
    status = to_status(error)
    assert status_code_of(error) == code
    assert status.code == code
    assert status.details == str(error)
    assert rich_status(error).code == code.value[0]


def test_validation_failed_keeps_every_field_violation() -> None:
    error = ValidationFailed(
        FieldViolation("category", "choose one of 咨询, 求助, 投诉, 举报, 意见建议, 表扬"),
        FieldViolation("topic", "must not be empty"),
        FieldViolation("place_division", "must be a 6- or 9-digit division code"),
    )
    back = round_trip(error)
    assert type(back) is ValidationFailed
    assert back.violations == error.violations
    assert str(back) == str(error)


def test_validation_failed_violations_travel_as_bad_request_details() -> None:
    status = rich_status(ValidationFailed.field("title", "must not be empty"))
    bad_request = error_details_pb2.BadRequest()
    assert status.details[0].Unpack(bad_request)
    assert [(v.field, v.description) for v in bad_request.field_violations] == [("title", "must not be empty")]


def test_illegal_transition_keeps_action_and_current_state() -> None:
    back = round_trip(IllegalTransition("签收", "受理"))
    assert type(back) is IllegalTransition
    assert (back.action, back.current_state) == ("签收", "受理")
    assert str(back) == "cannot 签收 in state 受理"


@pytest.mark.parametrize("error_type", [NotFound, PermissionDenied, Unauthenticated, DependencyUnavailable, TooLarge])
def test_plain_errors_keep_type_and_message(error_type: type[SunshineError]) -> None:
    back = round_trip(error_type("工单 t-1：无权访问"))
    assert type(back) is error_type
    assert str(back) == "工单 t-1：无权访问"


def test_deadline_exceeded_means_a_dependency_is_down() -> None:
    back = from_status(None, grpc.StatusCode.DEADLINE_EXCEEDED, "deadline exceeded")
    assert type(back) is DependencyUnavailable
    assert str(back) == "deadline exceeded"


def test_a_message_over_grpcs_size_limit_is_too_large_not_a_bug() -> None:
    message = "Received message larger than max (5000000 vs. 4194304)"
    back = from_status(None, grpc.StatusCode.RESOURCE_EXHAUSTED, message)
    assert type(back) is TooLarge
    assert "larger than max" in str(back)


def test_invalid_argument_without_details_keeps_the_message() -> None:
    back = from_status(None, grpc.StatusCode.INVALID_ARGUMENT, "bad request")
    assert isinstance(back, ValidationFailed)
    assert back.violations == (FieldViolation("", "bad request"),)


def test_an_unexpected_code_is_not_disguised_as_a_caller_error() -> None:
    with pytest.raises(RuntimeError, match="INTERNAL"):
        from_status(None, grpc.StatusCode.INTERNAL, "boom")


def test_other_sunshine_errors_come_back_as_sunshine_errors() -> None:
    error = SunshineError("other caller error")
    back = round_trip(error)
    assert isinstance(back, SunshineError)
    assert str(back) == str(error)
