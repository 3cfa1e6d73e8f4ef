"""The gateway's guards on their own: rate limits of public routes, security headers, the docs switch, the
sign-in seam and the server banner of the real uvicorn configuration."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator

import httpx
import pytest
import uvicorn
from fastapi import FastAPI
from fastapi.testclient import TestClient
from gateway.config import GatewaySettings
from gateway.entrypoints.app import create_app
from gateway.entrypoints.auth import StaffCaller
from gateway.entrypoints.errors import install_error_handlers
from gateway.entrypoints.guards import install_guards
from gateway.entrypoints.rate_limits import Buckets, Rate
from gateway.main import server_config
from pydantic import BaseModel
from sunshine_kit.auth import TokenVerifier
from sunshine_kit.auth.dev_issuer import DevIssuer
from sunshine_kit.settings import StackSettings


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_buckets_allow_a_burst_then_one_per_interval() -> None:
    clock = Clock()
    buckets = Buckets(Rate(3, 60), clock)
    assert [buckets.wait("a") for _ in range(3)] == [0.0, 0.0, 0.0]
    assert buckets.wait("a") == pytest.approx(20.0)
    assert buckets.wait("b") == 0.0  # another key has its own bucket
    clock.now += 19.5
    assert buckets.wait("a") == pytest.approx(0.5)
    clock.now += 0.5
    assert buckets.wait("a") == 0.0
    assert buckets.wait("a") == pytest.approx(20.0)


class FollowBody(BaseModel):
    number: str
    code: str


def small_app(**limits: int) -> FastAPI:
    app = FastAPI()

    @app.get("/api/v1/disclosure/catalogue")
    async def catalogue() -> dict[str, str]:
        return {"ok": "public"}

    @app.post("/api/v1/hotline/public/follow")
    async def follow(body: FollowBody) -> dict[str, str]:
        return {"number": body.number}

    @app.post("/api/v1/hotline/public/tickets")
    async def submit() -> dict[str, str]:
        return {"ok": "submitted"}

    @app.get("/api/v1/hotline/tickets")
    async def staff_only(caller: StaffCaller) -> dict[str, str]:
        return {"ok": caller.principal.subject}

    @app.get("/healthz")
    async def healthz() -> dict[str, str]:
        return {"ok": "alive"}

    install_error_handlers(app)
    install_guards(app, GatewaySettings(**limits))
    return app


def client_at(app: FastAPI, address: str) -> TestClient:
    return TestClient(app, client=(address, 40000))


def test_public_reads_are_limited_per_client_with_retry_after() -> None:
    app = small_app(public_reads_per_minute=3)
    one, other = client_at(app, "198.51.100.1"), client_at(app, "198.51.100.2")
    assert [one.get("/api/v1/disclosure/catalogue").status_code for _ in range(3)] == [200, 200, 200]
    refused = one.get("/api/v1/disclosure/catalogue")
    assert refused.status_code == 429
    assert 1 <= int(refused.headers["retry-after"]) <= 20
    assert refused.json()["error"]["code"] == "RESOURCE_EXHAUSTED"
    assert "请求过于频繁" in refused.json()["error"]["message"]
    assert refused.headers["x-content-type-options"] == "nosniff"
    assert other.get("/api/v1/disclosure/catalogue").status_code == 200


def test_submissions_follow_ups_and_reads_have_separate_limits() -> None:
    app = small_app(public_reads_per_minute=1, submissions_per_minute=2, follow_attempts_per_minute=1)
    client = client_at(app, "198.51.100.1")
    assert [client.post("/api/v1/hotline/public/tickets").status_code for _ in range(3)] == [200, 200, 429]
    assert client.get("/api/v1/disclosure/catalogue").status_code == 200
    body = {"number": "2026120300000001", "code": "X"}
    assert [client.post("/api/v1/hotline/public/follow", json=body).status_code for _ in range(2)] == [200, 429]


def test_follow_ups_are_limited_per_number_across_clients() -> None:
    app = small_app(follow_attempts_per_minute=100, follow_attempts_per_number_per_hour=4)
    number = "2026120312345678"
    statuses = [
        client_at(app, f"203.0.113.{n}").post("/api/v1/hotline/public/follow", json={"number": number, "code": "X"})
        for n in range(5)
    ]
    assert [s.status_code for s in statuses] == [200, 200, 200, 200, 429]
    assert statuses[0].json() == {"number": number}  # the body reaches the route unchanged
    padded = {"number": f"  {number} ", "code": "X"}  # the services strip the number: so does the limit
    assert client_at(app, "203.0.113.9").post("/api/v1/hotline/public/follow", json=padded).status_code == 429
    other = {"number": "2026120399999999", "code": "X"}
    assert client_at(app, "203.0.113.9").post("/api/v1/hotline/public/follow", json=other).status_code == 200


def test_staff_routes_and_health_are_not_limited_here() -> None:
    app = small_app(public_reads_per_minute=1)
    client = client_at(app, "198.51.100.1")
    assert {client.get("/api/v1/hotline/tickets").status_code for _ in range(3)} == {401}
    assert {client.get("/healthz").status_code for _ in range(3)} == {200}


def test_a_limit_of_zero_is_no_limit() -> None:
    client = client_at(small_app(public_reads_per_minute=0), "198.51.100.1")
    assert {client.get("/api/v1/disclosure/catalogue").status_code for _ in range(30)} == {200}


def test_security_headers_and_hsts_only_over_tls() -> None:
    app = small_app()
    plain = TestClient(app).get("/healthz")
    assert plain.headers["x-content-type-options"] == "nosniff"
    assert plain.headers["x-frame-options"] == "DENY"
    assert "frame-ancestors 'none'" in plain.headers["content-security-policy"]
    assert plain.headers["referrer-policy"] == "no-referrer"
    assert "strict-transport-security" not in plain.headers
    secure = TestClient(app, base_url="https://gateway.example.gov.cn").get("/healthz")
    assert secure.headers["strict-transport-security"] == "max-age=31536000; includeSubDomains"


def test_hsts_can_be_turned_off_and_the_policy_changed() -> None:
    app = FastAPI()
    install_guards(app, GatewaySettings(hsts_max_age_s=0, content_security_policy="frame-ancestors 'self'"))
    answer = TestClient(app, base_url="https://gateway.example.gov.cn").get("/nothing")
    assert "strict-transport-security" not in answer.headers
    assert answer.headers["content-security-policy"] == "frame-ancestors 'self'"


@pytest.fixture
def dev_verifier(tmp_path, monkeypatch) -> TokenVerifier:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("SUNSHINE_AUTH_MODE", "dev")
    monkeypatch.setenv("SUNSHINE_AUTH_DEV_KEY_FILE", str(tmp_path / "dev.pem"))
    return TokenVerifier(
        DevIssuer(tmp_path / "dev.pem", "sunshine-dev", "sunshine").public_key_pem, "sunshine-dev", "sunshine"
    )


@pytest.mark.parametrize(
    ("mode", "setting", "served"),
    [("dev", None, True), ("jwt", None, False), ("jwt", "true", True), ("dev", "false", False)],
)
def test_the_docs_are_on_in_dev_mode_and_off_in_production_unless_set(  # type: ignore[no-untyped-def]
    dev_verifier, monkeypatch, mode: str, setting: str | None, served: bool
) -> None:
    monkeypatch.setenv("SUNSHINE_AUTH_MODE", mode)
    monkeypatch.setenv("SUNSHINE_AUTH_ISSUER", "https://sso.example.gov.cn/realms/sunshine")
    if setting is not None:
        monkeypatch.setenv("SUNSHINE_GATEWAY_API_DOCS", setting)
    client = TestClient(create_app(StackSettings(), dev_verifier))
    for path in ("/docs", "/redoc", "/openapi.json"):
        assert (client.get(path).status_code == 200) is served, path


def test_the_sign_in_seam_names_the_provider_and_client(dev_verifier, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    assert TestClient(create_app(StackSettings(), dev_verifier)).get("/api/v1/sign-in").json() == {
        "mode": "dev",
        "issuer": "",
        "client_id": "",
        "scope": "",
    }
    monkeypatch.setenv("SUNSHINE_AUTH_MODE", "jwt")
    monkeypatch.setenv("SUNSHINE_AUTH_ISSUER", "https://sso.example.gov.cn/realms/sunshine")
    monkeypatch.setenv("SUNSHINE_AUTH_CLIENT_ID", "sunshine-web")
    assert TestClient(create_app(StackSettings(), dev_verifier)).get("/api/v1/sign-in").json() == {
        "mode": "oidc",
        "issuer": "https://sso.example.gov.cn/realms/sunshine",
        "client_id": "sunshine-web",
        "scope": "openid",
    }


@pytest.fixture
def served(dev_verifier) -> Iterator[str]:  # type: ignore[no-untyped-def]
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    app = create_app(StackSettings(), dev_verifier)
    server = uvicorn.Server(server_config(app, f"127.0.0.1:{port}", GatewaySettings()))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.01)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join()


def test_the_real_server_sends_no_banner(served: str) -> None:
    answer = httpx.get(f"{served}/healthz")
    assert answer.status_code == 200
    assert "server" not in answer.headers
    assert answer.headers["x-content-type-options"] == "nosniff"


def test_staff_operations_are_not_under_the_public_limits_and_public_ones_are(dev_verifier, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Signed-in staff share an office's address: their operations are never counted as public reads."""
    monkeypatch.setenv("SUNSHINE_AUTH_MODE", "dev")
    monkeypatch.setenv("SUNSHINE_GATEWAY_PUBLIC_READS_PER_MINUTE", "1")
    client = TestClient(create_app(StackSettings(), dev_verifier))
    staff = [client.get("/api/v1/hotline/tickets/0/duplicates").status_code for _ in range(3)]
    public = [client.get("/api/v1/stack").status_code for _ in range(3)]
    assert staff == [401, 401, 401]
    assert public[0] == 200 and public[1:] == [429, 429]
