"""The gateway's request metrics: one series per route template and method, by status, errors included."""

from __future__ import annotations

import uuid

import pytest
from fastapi import APIRouter, FastAPI
from fastapi.testclient import TestClient
from gateway.entrypoints.errors import install_error_handlers
from gateway.entrypoints.metrics import UNMATCHED_ROUTE, HttpMetrics
from prometheus_client import REGISTRY
from sunshine_kit.errors import ValidationFailed

REQUESTS = "sunshine_http_server_requests_total"
SECONDS = "sunshine_http_server_request_duration_seconds_count"


@pytest.fixture
def division() -> str:
    """A division of this test alone, so the counters of other tests in the process do not mix in."""
    return f"51{uuid.uuid4().int % 10**7:07d}"


@pytest.fixture
def client(division: str) -> TestClient:
    """Routers nested like the gateway's: prefixes at declaration and at inclusion."""
    things = APIRouter(prefix="/things")

    @things.get("/{thing_id}")
    async def thing(thing_id: str) -> dict[str, str]:
        if thing_id == "bad":
            raise ValidationFailed.field("thing_id", "must not be bad")
        if thing_id == "bug":
            raise RuntimeError("a bug")
        return {"id": thing_id}

    api = APIRouter(prefix="/api/v1")
    api.include_router(things)
    app = FastAPI()
    install_error_handlers(app)
    app.add_middleware(HttpMetrics, division=division)
    app.include_router(api)
    return TestClient(app, raise_server_exceptions=False)


def count(name: str, **labels: str) -> float | None:
    return REGISTRY.get_sample_value(name, labels)


def test_requests_are_counted_per_route_template_not_per_path(client: TestClient, division: str) -> None:
    for thing_id in ("a", "b", "c"):
        assert client.get(f"/api/v1/things/{thing_id}").status_code == 200

    route = {"division": division, "method": "GET", "route": "/api/v1/things/{thing_id}"}
    assert count(REQUESTS, **route, status="200") == 3
    assert count(SECONDS, **route) == 3


def test_refusals_and_bugs_are_counted_with_their_status(client: TestClient, division: str) -> None:
    assert client.get("/api/v1/things/bad").status_code == 400
    assert client.get("/api/v1/things/bug").status_code == 500

    route = {"division": division, "method": "GET", "route": "/api/v1/things/{thing_id}"}
    assert count(REQUESTS, **route, status="400") == 1
    assert count(REQUESTS, **route, status="500") == 1


def test_paths_no_route_matches_and_unknown_methods_share_one_series(client: TestClient, division: str) -> None:
    for path in ("/wp-login.php", "/.env", "/api/v9/nothing"):
        assert client.get(path).status_code == 404

    assert client.request("BREW", "/coffee").status_code == 404

    assert count(REQUESTS, division=division, method="GET", route=UNMATCHED_ROUTE, status="404") == 3
    assert count(REQUESTS, division=division, method="other", route=UNMATCHED_ROUTE, status="404") == 1
