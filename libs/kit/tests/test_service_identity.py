"""Service identity: tokens the stack's own services mint for themselves, and who accepts them."""

from __future__ import annotations

import stat
import time
from datetime import timedelta
from pathlib import Path

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat
from pydantic import ValidationError
from sunshine_kit.auth import Principal, Role, ServiceCredentials, ServicePrincipal, require_service
from sunshine_kit.auth.dev_issuer import DevIssuer
from sunshine_kit.auth.keys import public_key_pem
from sunshine_kit.auth.service_identity import ServiceTokenIssuer, ServiceTokenVerifier, service_issuer
from sunshine_kit.auth.settings import AuthSettings
from sunshine_kit.errors import PermissionDenied, StartRefused, Unauthenticated

CITY, COUNTY = "510100", "510117"
AUDIENCE = "sunshine"
MINUTES_5 = timedelta(minutes=5)


def new_key() -> ec.EllipticCurvePrivateKey:
    return ec.generate_private_key(ec.SECP256R1())


def verifier_of(*keys: ec.EllipticCurvePrivateKey, division: str = CITY) -> ServiceTokenVerifier:
    return ServiceTokenVerifier([public_key_pem(k) for k in keys], division, AUDIENCE)


def minted(key: ec.EllipticCurvePrivateKey, **claims: object) -> str:
    """A token signed with `key`, issued now, claims of a city hotline token unless overridden (None drops one)."""
    now = int(time.time())
    base: dict[str, object] = {
        "sub": "service:hotline",
        "service": "hotline",
        "division": CITY,
        "iss": service_issuer(CITY),
        "aud": AUDIENCE,
        "iat": now,
        "exp": now + 300,
    }
    base.update(claims)
    return jwt.encode({k: v for k, v in base.items() if v is not None}, key, algorithm="ES256")


def test_a_minted_token_names_the_service_of_the_stack_and_holds_no_role() -> None:
    key = new_key()
    token = ServiceTokenIssuer(key, CITY, AUDIENCE).issue("hotline", MINUTES_5)
    claims = jwt.decode(token, options={"verify_signature": False})
    assert (claims["sub"], claims["iss"], "roles" in claims) == ("service:hotline", "sunshine-services:510100", False)
    assert verifier_of(key).verify(token) == ServicePrincipal("hotline", CITY)


def test_a_token_signed_with_another_stacks_service_key_is_refused() -> None:
    token = ServiceTokenIssuer(new_key(), CITY, AUDIENCE).issue("hotline", MINUTES_5)
    with pytest.raises(Unauthenticated, match="(?i)signature"):
        verifier_of(new_key()).verify(token)


def test_a_token_of_another_division_is_refused_even_with_the_same_key() -> None:
    key = new_key()
    county_token = ServiceTokenIssuer(key, COUNTY, AUDIENCE).issue("hotline", MINUTES_5)
    with pytest.raises(Unauthenticated, match="issuer"):
        verifier_of(key).verify(county_token)
    with pytest.raises(Unauthenticated, match="division"):
        verifier_of(key).verify(minted(key, division=COUNTY))


def test_an_expired_token_is_refused() -> None:
    key = new_key()
    token = ServiceTokenIssuer(key, CITY, AUDIENCE).issue("hotline", MINUTES_5, now=1_000_000_000)
    with pytest.raises(Unauthenticated, match="expired"):
        verifier_of(key).verify(token)


@pytest.mark.parametrize(
    ("claims", "reason"),
    [
        ({"roles": ["hotline_operator"]}, "holds no roles"),
        ({"sub": "张三"}, "sub does not name the service"),
        ({"service": "Hotline!", "sub": "service:Hotline!"}, "not a service name"),
        ({"service": None}, "service"),
        ({"exp": int(time.time()) + 3600}, "longer than"),
        ({"aud": "elsewhere"}, "Audience"),
    ],
)
def test_a_token_with_a_wrong_claim_is_refused(claims: dict[str, object], reason: str) -> None:
    key = new_key()
    with pytest.raises(Unauthenticated, match=reason):
        verifier_of(key).verify(minted(key, **claims))


def test_the_issuer_refuses_long_lifetimes_and_odd_names() -> None:
    issuer = ServiceTokenIssuer(new_key(), CITY, AUDIENCE)
    with pytest.raises(ValueError, match="at most"):
        issuer.issue("hotline", timedelta(hours=1))
    with pytest.raises(ValueError, match="service name"):
        issuer.issue("service:hotline", MINUTES_5)


def test_during_a_rotation_the_previous_key_is_still_accepted_and_no_other() -> None:
    current, previous = new_key(), new_key()
    verifier = verifier_of(current, previous)
    for key in (current, previous):
        assert verifier.verify(ServiceTokenIssuer(key, CITY, AUDIENCE).issue("hotline", MINUTES_5)).service == "hotline"
    with pytest.raises(Unauthenticated):
        verifier.verify(ServiceTokenIssuer(new_key(), CITY, AUDIENCE).issue("hotline", MINUTES_5))


def test_credentials_reuse_a_token_until_little_of_its_life_is_left() -> None:
    now = [1_900_000_000.0]
    issuer = ServiceTokenIssuer(new_key(), CITY, AUDIENCE)
    credentials = ServiceCredentials(issuer, "hotline", MINUTES_5, lambda: now[0])
    first = credentials.metadata()
    now[0] += 200  # 100 of 300 s left: more than a fifth
    assert credentials.metadata() == first
    now[0] += 50  # 50 s left
    renewed = credentials.metadata()
    assert renewed != first
    assert jwt.decode(renewed[0][1].removeprefix("Bearer "), options={"verify_signature": False})["iat"] == now[0]


def test_a_grant_names_one_service_of_one_division() -> None:
    require_service(ServicePrincipal("hotline", CITY), "hotline", CITY)
    with pytest.raises(PermissionDenied, match="service:hotline of division 510100 only"):
        require_service(ServicePrincipal("evaluation", CITY), "hotline", CITY)
    with pytest.raises(PermissionDenied):
        require_service(ServicePrincipal("hotline", COUNTY), "hotline", CITY)


# --- settings and the caller verifier ------------------------------------------------------------------------


def dev_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> AuthSettings:
    monkeypatch.setenv("SUNSHINE_AUTH_MODE", "dev")
    monkeypatch.setenv("SUNSHINE_AUTH_DEV_KEY_FILE", str(tmp_path / "dev" / "signing-key.pem"))
    return AuthSettings()


def service_token(credentials: ServiceCredentials) -> str:
    return credentials.metadata()[0][1].removeprefix("Bearer ")


def test_dev_mode_creates_the_service_key_in_the_stacks_data_directory(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    settings = dev_settings(tmp_path, monkeypatch)
    token = service_token(settings.service_credentials("hotline", CITY, tmp_path / "city"))
    key_file = tmp_path / "city" / "service-auth" / "signing-key.pem"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert settings.caller_verifier(CITY, tmp_path / "city").verify(token) == ServicePrincipal("hotline", CITY)
    # Another stack of the same local hierarchy has its own data directory, hence its own key.
    with pytest.raises(Unauthenticated):
        settings.caller_verifier(CITY, tmp_path / "elsewhere").verify(token)


def test_the_caller_verifier_tells_staff_from_services(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    settings = dev_settings(tmp_path, monkeypatch)
    verifier = settings.caller_verifier(CITY, tmp_path)
    staff = DevIssuer(settings.dev_key_file, settings.expected_issuer, settings.audience)
    human = verifier.verify(staff.issue("张三", [Role.HOTLINE_OPERATOR], CITY, MINUTES_5))
    assert isinstance(human, Principal) and human.roles == {Role.HOTLINE_OPERATOR}
    service = service_token(settings.service_credentials("hotline", CITY, tmp_path))
    assert isinstance(verifier.verify(service), ServicePrincipal)
    # The staff verifier alone (the gateway's) never accepts a service token.
    with pytest.raises(Unauthenticated):
        settings.verifier().verify(service)
    # A token claiming the service issuer but signed with the staff key is refused.
    with pytest.raises(Unauthenticated, match="(?i)signature"):
        verifier.verify(minted(staff._private_key))  # noqa: SLF001
    with pytest.raises(Unauthenticated):
        verifier.verify("not a token")


@pytest.mark.parametrize("ttl", ["0", "-5", "901"])
def test_a_service_token_lifetime_out_of_range_fails_at_load(ttl: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SUNSHINE_AUTH_SERVICE_TOKEN_TTL_S", ttl)
    with pytest.raises(ValidationError, match="service_token_ttl_s"):
        AuthSettings()
    monkeypatch.setenv("SUNSHINE_AUTH_SERVICE_TOKEN_TTL_S", "900")
    assert AuthSettings().service_token_ttl_s == 900


def test_jwt_mode_needs_the_service_key_and_never_creates_one(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("SUNSHINE_AUTH_MODE", "jwt")
    monkeypatch.setenv("SUNSHINE_AUTH_ISSUER", "https://idp.example.gov.cn/realms/sunshine")
    monkeypatch.setenv("SUNSHINE_AUTH_PUBLIC_KEY", public_key_pem(new_key()))
    with pytest.raises(StartRefused, match="SUNSHINE_AUTH_SERVICE_PRIVATE_KEY or SUNSHINE_AUTH_SERVICE_KEY_FILE"):
        AuthSettings().service_credentials("hotline", CITY, tmp_path)
    monkeypatch.setenv("SUNSHINE_AUTH_SERVICE_KEY_FILE", str(tmp_path / "missing.pem"))
    with pytest.raises(StartRefused, match="there is no file"):
        AuthSettings().caller_verifier(CITY, tmp_path)
    assert not (tmp_path / "missing.pem").exists()


def test_jwt_mode_reads_the_service_key_and_the_previous_public_key_from_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    key, previous = new_key(), new_key()
    monkeypatch.setenv("SUNSHINE_AUTH_MODE", "jwt")
    monkeypatch.setenv("SUNSHINE_AUTH_ISSUER", "https://idp.example.gov.cn/realms/sunshine")
    monkeypatch.setenv("SUNSHINE_AUTH_PUBLIC_KEY", public_key_pem(new_key()))
    pem = key.private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption()).decode()
    monkeypatch.setenv("SUNSHINE_AUTH_SERVICE_PRIVATE_KEY", pem)
    monkeypatch.setenv("SUNSHINE_AUTH_SERVICE_PREVIOUS_PUBLIC_KEY", public_key_pem(previous))
    verifier = AuthSettings().caller_verifier(CITY, tmp_path)
    old = ServiceTokenIssuer(previous, CITY, AUDIENCE).issue("hotline", MINUTES_5)
    assert verifier.verify(old) == ServicePrincipal("hotline", CITY)
    current = service_token(AuthSettings().service_credentials("hotline", CITY, tmp_path))
    assert verifier.verify(current).service == "hotline"
    assert not any(tmp_path.iterdir())
