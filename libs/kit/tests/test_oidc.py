"""Production sign-in: staff tokens of an OIDC identity provider, checked against its JWKS served by this test,
Keycloak's claim layout, the staff token lifetime, and the refusal to start without real keys."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from sunshine_kit.auth import Principal, Role, TokenVerifier
from sunshine_kit.auth.dev_issuer import DevIssuer
from sunshine_kit.auth.settings import AuthSettings
from sunshine_kit.auth.tokens import ClaimNames, jwks_keys
from sunshine_kit.errors import DependencyUnavailable, StartRefused, Unauthenticated

ISSUER = "https://sso.example.gov.cn/realms/sunshine"
AUDIENCE = "sunshine"
KEYCLOAK = ClaimNames(subject="preferred_username", roles="realm_access.roles", role_prefix="sunshine_")


class IdentityProvider:
    """Serves a JWKS over HTTP and signs tokens with the keys it publishes; counts the JWKS fetches."""

    def __init__(self) -> None:
        self.keys: dict[str, Any] = {}
        self.fetches = 0
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - http.server's name
                provider.fetches += 1
                body = json.dumps({"keys": [provider.jwk(kid) for kid in provider.keys]}).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.jwks_url = f"http://127.0.0.1:{self._server.server_port}/realms/sunshine/protocol/openid-connect/certs"
        threading.Thread(target=self._server.serve_forever, args=(0.05,), daemon=True).start()

    def rotate(self, kid: str, key: Any) -> None:
        """Publish only this key from now on (the provider's key rotation)."""
        self.keys = {kid: key}

    def jwk(self, kid: str) -> dict[str, Any]:
        key = self.keys[kid]
        algorithm = jwt.algorithms.RSAAlgorithm if isinstance(key, rsa.RSAPrivateKey) else jwt.algorithms.ECAlgorithm
        jwk = algorithm.to_jwk(key.public_key(), as_dict=True)
        return {**jwk, "kid": kid, "use": "sig", "alg": _algorithm(key)}

    def token(self, kid: str, key: Any = None, **changes: object) -> str:
        signing_key = key or self.keys[kid]
        return jwt.encode(keycloak_claims(**changes), signing_key, _algorithm(signing_key), headers={"kid": kid})

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()


def _algorithm(key: Any) -> str:
    return "RS256" if isinstance(key, rsa.RSAPrivateKey) else "ES256"


def rsa_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def keycloak_claims(**changes: object) -> dict[str, object]:
    """An access token as Keycloak issues it: realm roles, a division attribute mapped into the token."""
    now = datetime.now(UTC)
    base: dict[str, object] = {
        "sub": "f1a8c3a2-0c6e-4c1e-9d1e-6f2b9a7d4e10",
        "preferred_username": "cgj:li",
        "realm_access": {"roles": ["sunshine_leader", "sunshine_evaluator", "offline_access", "uma_authorization"]},
        "division": "510117",
        "iss": ISSUER,
        "aud": [AUDIENCE, "account"],
        "azp": "sunshine-dashboard",
        "iat": now,
        "exp": now + timedelta(minutes=5),
    }
    base.update(changes)
    return {key: value for key, value in base.items() if value is not None}


@pytest.fixture
def provider() -> Iterator[IdentityProvider]:
    running = IdentityProvider()
    running.rotate("k1", rsa_key())
    yield running
    running.stop()


def keycloak_verifier(provider: IdentityProvider, cooldown_s: float = 30) -> TokenVerifier:
    return TokenVerifier(
        jwks_keys(provider.jwks_url, cooldown_s=cooldown_s), ISSUER, AUDIENCE, ("ES256", "RS256"), KEYCLOAK
    )


def test_a_keycloak_token_becomes_a_principal(provider: IdentityProvider) -> None:
    principal = keycloak_verifier(provider).verify(provider.token("k1"))
    assert principal == Principal("cgj:li", frozenset({Role.LEADER, Role.EVALUATOR}), "510117")


def test_keys_are_cached_between_tokens(provider: IdentityProvider) -> None:
    verifier = keycloak_verifier(provider)
    for _ in range(5):
        verifier.verify(provider.token("k1"))
    assert provider.fetches == 1


def test_the_provider_rotates_its_key_without_a_restart(provider: IdentityProvider) -> None:
    verifier = keycloak_verifier(provider, cooldown_s=0)
    old_key = provider.keys["k1"]
    assert verifier.verify(provider.token("k1")).subject == "cgj:li"
    provider.rotate("k2", ec.generate_private_key(ec.SECP256R1()))
    assert verifier.verify(provider.token("k2")).subject == "cgj:li"
    with pytest.raises(Unauthenticated, match="k1"):
        verifier.verify(provider.token("k1", old_key))


def test_unknown_key_ids_do_not_make_the_gateway_hammer_the_provider(provider: IdentityProvider) -> None:
    verifier = keycloak_verifier(provider)
    verifier.verify(provider.token("k1"))
    forger = rsa_key()
    for attempt in range(20):
        with pytest.raises(Unauthenticated, match="Unable to find a signing key"):
            verifier.verify(provider.token(f"forged-{attempt}", forger))
    assert provider.fetches == 1


def test_a_token_signed_with_a_key_the_provider_does_not_publish_is_refused(provider: IdentityProvider) -> None:
    with pytest.raises(Unauthenticated, match="Signature verification failed"):
        keycloak_verifier(provider).verify(provider.token("k1", rsa_key()))


def test_a_key_of_another_type_under_a_published_kid_is_refused(provider: IdentityProvider) -> None:
    with pytest.raises(Unauthenticated):
        keycloak_verifier(provider).verify(provider.token("k1", ec.generate_private_key(ec.SECP256R1())))


def test_an_unreachable_provider_is_unavailable_not_a_bad_token(provider: IdentityProvider) -> None:
    verifier = keycloak_verifier(provider)
    provider.stop()
    with pytest.raises(DependencyUnavailable, match="identity provider"):
        verifier.verify(provider.token("k1"))


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"realm_access": {"roles": ["offline_access", "uma_authorization"]}}, "no role"),
        ({"realm_access": {"roles": ["sunshine_mayor"]}}, "unknown roles"),
        ({"realm_access": None}, "realm_access.roles claim must be a non-empty list"),
        ({"preferred_username": " "}, "empty or blank preferred_username"),
        ({"preferred_username": None}, "empty or blank preferred_username"),
        ({"division": "chengdu"}, "not a division code"),
        ({"aud": "account"}, "Audience"),
        ({"iss": "https://sso.example.gov.cn/realms/other"}, "issuer"),
    ],
)
def test_keycloak_tokens_without_what_sunshine_needs_are_refused(
    provider: IdentityProvider, changes: dict[str, object], message: str
) -> None:
    with pytest.raises(Unauthenticated, match=message):
        keycloak_verifier(provider).verify(provider.token("k1", **changes))


def test_staff_tokens_have_a_maximum_lifetime(provider: IdentityProvider) -> None:
    now = datetime.now(UTC)
    verifier = TokenVerifier(
        jwks_keys(provider.jwks_url), ISSUER, AUDIENCE, ("RS256",), KEYCLOAK, max_lifetime=timedelta(hours=8)
    )
    assert verifier.verify(provider.token("k1", iat=now, exp=now + timedelta(hours=8)))
    with pytest.raises(Unauthenticated, match="longer than 28800 s"):
        verifier.verify(provider.token("k1", iat=now, exp=now + timedelta(hours=8, seconds=1)))


def test_a_token_issued_in_the_future_is_refused(provider: IdentityProvider) -> None:
    later = datetime.now(UTC) + timedelta(hours=1)
    with pytest.raises(Unauthenticated, match="not yet valid"):
        keycloak_verifier(provider).verify(provider.token("k1", iat=later, exp=later + timedelta(minutes=5)))


@pytest.mark.parametrize("algorithms", [("HS256",), ("ES256", "none"), ()])
def test_only_asymmetric_algorithms_are_accepted(provider: IdentityProvider, algorithms: tuple[str, ...]) -> None:
    with pytest.raises(ValueError, match="asymmetric"):
        TokenVerifier(jwks_keys(provider.jwks_url), ISSUER, AUDIENCE, algorithms)


# --- settings: a production start needs real keys --------------------------------------------------------


def production(monkeypatch: pytest.MonkeyPatch, **env: str) -> None:
    for name in ("MODE", "ISSUER", "JWKS_URL", "PUBLIC_KEY"):
        monkeypatch.delenv(f"SUNSHINE_AUTH_{name}", raising=False)
    for name, value in env.items():
        monkeypatch.setenv(f"SUNSHINE_AUTH_{name}", value)


def test_without_a_mode_the_start_is_a_production_start(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    production(monkeypatch, DEV_KEY_FILE=str(tmp_path / "dev.pem"))
    with pytest.raises(StartRefused, match="is required; for the local demo hierarchy set SUNSHINE_AUTH_MODE=dev"):
        AuthSettings().verifier()
    assert not (tmp_path / "dev.pem").exists()


def test_a_production_start_needs_the_providers_keys(monkeypatch: pytest.MonkeyPatch) -> None:
    production(monkeypatch, ISSUER=ISSUER)
    with pytest.raises(StartRefused, match="SUNSHINE_AUTH_JWKS_URL .* or SUNSHINE_AUTH_PUBLIC_KEY is required"):
        AuthSettings().verifier()


def test_a_symmetric_algorithm_refuses_the_start(monkeypatch: pytest.MonkeyPatch, provider: IdentityProvider) -> None:
    production(monkeypatch, ISSUER=ISSUER, JWKS_URL=provider.jwks_url, ALGORITHMS="RS256,HS256")
    with pytest.raises(StartRefused, match="SUNSHINE_AUTH_ALGORITHMS"):
        AuthSettings().verifier()


def test_keycloak_settings_verify_keycloak_tokens(monkeypatch: pytest.MonkeyPatch, provider: IdentityProvider) -> None:
    production(
        monkeypatch,
        ISSUER=ISSUER,
        JWKS_URL=provider.jwks_url,
        SUBJECT_CLAIM="preferred_username",
        ROLES_CLAIM="realm_access.roles",
        ROLE_PREFIX="sunshine_",
        STAFF_TOKEN_MAX_LIFETIME_S="600",
    )
    verifier = AuthSettings().verifier()
    assert verifier.verify(provider.token("k1")).roles == {Role.LEADER, Role.EVALUATOR}
    now = datetime.now(UTC)
    with pytest.raises(Unauthenticated, match="longer than 600 s"):
        verifier.verify(provider.token("k1", iat=now, exp=now + timedelta(minutes=11)))


def test_a_dev_token_is_no_use_in_production(
    monkeypatch: pytest.MonkeyPatch, provider: IdentityProvider, tmp_path: Path
) -> None:
    production(monkeypatch, MODE="dev", DEV_KEY_FILE=str(tmp_path / "dev.pem"))
    dev_settings = AuthSettings()
    dev = DevIssuer(dev_settings.dev_key_file, dev_settings.expected_issuer, AUDIENCE)
    production(monkeypatch, ISSUER=ISSUER, JWKS_URL=provider.jwks_url)
    with pytest.raises(Unauthenticated):
        AuthSettings().verifier().verify(dev.issue("u1", [Role.LEADER], "510117", timedelta(minutes=5)))
