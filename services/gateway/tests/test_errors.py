"""The gateway's one stable JSON error body, and the HTTP status of every Sunshine error."""

from __future__ import annotations

import json

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from gateway.entrypoints.errors import error_response, install_error_handlers
from pydantic import BaseModel
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


def body_of(error: SunshineError) -> dict:
    return json.loads(error_response(error).body)


@pytest.mark.parametrize(
    ("error", "status", "code"),
    [
        (ValidationFailed.field("title", "must not be empty"), 400, "INVALID_ARGUMENT"),
        (Unauthenticated("token expired"), 401, "UNAUTHENTICATED"),
        (PermissionDenied("not in your jurisdiction"), 403, "PERMISSION_DENIED"),
        (NotFound("ticket t-1 not found"), 404, "NOT_FOUND"),
        (IllegalTransition("sign", "受理"), 409, "FAILED_PRECONDITION"),
        (DependencyUnavailable("hotline is down"), 503, "UNAVAILABLE"),
        (TooLarge("request body over 1 MiB"), 413, "RESOURCE_EXHAUSTED"),
        (SunshineError("other caller error"), 409, "FAILED_PRECONDITION"),
    ],
    ids=lambda value: type(value).__name__ if isinstance(value, SunshineError) else str(value),
)
def test_each_error_has_its_http_status_and_code(error: SunshineError, status: int, code: str) -> None:
    response = error_response(error)
    assert response.status_code == status
    assert response.headers["content-type"] == "application/json"
    assert body_of(error)["error"]["code"] == code
    assert body_of(error)["error"]["message"] == str(error)


@pytest.mark.parametrize("error_type", [NotFound, PermissionDenied, DependencyUnavailable, Unauthenticated])
def test_plain_errors_have_only_code_and_message(error_type: type[SunshineError]) -> None:
    assert set(body_of(error_type("x"))["error"]) == {"code", "message"}


def test_validation_failed_lists_every_field_violation() -> None:
    error = ValidationFailed(FieldViolation("topic", "must not be empty"), FieldViolation("channel", "说明来源渠道"))
    assert body_of(error) == {
        "error": {
            "code": "INVALID_ARGUMENT",
            "message": "topic: must not be empty; channel: 说明来源渠道",
            "field_violations": [
                {"field": "topic", "description": "must not be empty"},
                {"field": "channel", "description": "说明来源渠道"},
            ],
        }
    }


def test_illegal_transition_names_the_current_state() -> None:
    assert body_of(IllegalTransition("签收", "受理")) == {
        "error": {"code": "FAILED_PRECONDITION", "message": "cannot 签收 in state 受理", "current_state": "受理"}
    }


def test_unauthenticated_asks_for_a_bearer_token() -> None:
    assert error_response(Unauthenticated("no token")).headers["www-authenticate"] == "Bearer"


def test_other_errors_do_not_ask_for_a_bearer_token() -> None:
    assert "www-authenticate" not in error_response(PermissionDenied("no")).headers


# --- the handlers installed on an app ---------------------------------------------------------------------


class _Ticket(BaseModel):
    topic: str
    priority: int


def _client() -> TestClient:
    app = FastAPI()
    install_error_handlers(app)

    @app.post("/tickets")
    def create(ticket: _Ticket) -> dict:
        return {"topic": ticket.topic}

    @app.get("/tickets/{ticket_id}")
    def read(ticket_id: str) -> dict:
        raise NotFound(f"ticket {ticket_id} not found")

    return TestClient(app)


def test_valid_body_passes_through() -> None:
    response = _client().post("/tickets", json={"topic": "施工噪声", "priority": 1})
    assert (response.status_code, response.json()) == (200, {"topic": "施工噪声"})


def test_missing_body_field_is_400_naming_the_field() -> None:
    response = _client().post("/tickets", json={"priority": 1})
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "INVALID_ARGUMENT"
    assert [v["field"] for v in error["field_violations"]] == ["topic"]
    assert "required" in error["field_violations"][0]["description"].lower()
    assert error["message"] == f"topic: {error['field_violations'][0]['description']}"


def test_several_bad_body_fields_are_reported_together() -> None:
    response = _client().post("/tickets", json={"priority": "high"})
    assert response.status_code == 400
    assert sorted(v["field"] for v in response.json()["error"]["field_violations"]) == ["priority", "topic"]


def test_sunshine_error_raised_in_a_route_becomes_its_json_body() -> None:
    response = _client().get("/tickets/t-9")
    assert response.status_code == 404
    assert response.json() == {"error": {"code": "NOT_FOUND", "message": "ticket t-9 not found"}}


@pytest.mark.parametrize(
    ("method", "path", "status", "code"),
    [("GET", "/no-such-path", 404, "NOT_FOUND"), ("DELETE", "/tickets", 405, "METHOD_NOT_ALLOWED")],
)
def test_what_the_framework_answers_itself_has_the_same_body(method: str, path: str, status: int, code: str) -> None:
    response = _client().request(method, path)
    assert response.status_code == status
    assert response.json()["error"]["code"] == code
    assert set(response.json()["error"]) == {"code", "message"}
