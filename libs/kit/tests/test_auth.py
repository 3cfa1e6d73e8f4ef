"""Auth primitives: jurisdiction, token verification, metadata, the dev issuer and its CLI."""

from __future__ import annotations

import base64
import hmac
import json
import stat
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from sunshine_kit.auth import (
    READS_BELOW,
    Principal,
    Role,
    TokenVerifier,
    bearer_metadata,
    check_act,
    contains,
    reading_roles,
    require_read,
    require_role,
    token_from_metadata,
)
from sunshine_kit.auth.dev_issuer import DevIssuer, main
from sunshine_kit.auth.settings import AuthSettings
from sunshine_kit.errors import PermissionDenied, Unauthenticated

ISSUER = "sunshine-dev"
AUDIENCE = "sunshine"
HOUR = timedelta(hours=1)


def principal(division: str, *roles: Role) -> Principal:
    return Principal(subject="u1", roles=frozenset(roles), division=division)


# --- division containment -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("ancestor", "code"),
    [
        ("510100", "510117"),  # city > county
        ("510117", "510117101"),  # county > township
        ("510100", "510117101"),  # city > township
        ("510000", "510100"),  # province > city
        ("510000", "510117"),  # province > county
        ("510000", "510117101"),  # province > township
        ("441900", "441900003"),  # a city without counties > its township
    ],
)
def test_contains_descendants(ancestor: str, code: str) -> None:
    assert contains(ancestor, code)


@pytest.mark.parametrize(
    ("ancestor", "code"),
    [
        ("510117", "510117"),  # itself: not strict
        ("510117", "510104"),  # sibling county
        ("510117101", "510117102"),  # sibling township
        ("510117", "510100"),  # child does not contain parent
        ("510117101", "510117"),
        ("510100", "510200"),  # sibling city
        ("510100", "440106"),  # other province
        ("510000", "440100"),
        ("510100", "5101"),  # not codes
        ("5101", "510117"),
        ("510100", "51011710x"),
    ],
)
def test_contains_rejects_everything_else(ancestor: str, code: str) -> None:
    assert not contains(ancestor, code)


# --- acting and reading ---------------------------------------------------------------------------------


def test_own_division_may_act_and_read() -> None:
    officer = principal("510117", Role.DISCLOSURE_OFFICER)
    check_act(officer, "510117")
    assert require_read(officer, "510117", Role.DISCLOSURE_OFFICER) == {Role.DISCLOSURE_OFFICER}


@pytest.mark.parametrize("role", sorted(READS_BELOW))
@pytest.mark.parametrize("target", ["510117", "510117101"])
def test_read_below_roles_read_descendants(role: Role, target: str) -> None:
    assert require_read(principal("510100", role), target, role) == {role}


def test_province_leader_reads_a_township() -> None:
    assert require_read(principal("510000", Role.LEADER), "510117101", Role.LEADER) == {Role.LEADER}


@pytest.mark.parametrize("role", [Role.DISCLOSURE_OFFICER, Role.HOTLINE_OPERATOR, Role.HANDLING_UNIT])
def test_other_roles_do_not_read_below(role: Role) -> None:
    with pytest.raises(PermissionDenied, match=r"division 510100 may read 510117, below its own division, not"):
        require_read(principal("510100", role), "510117", role)
    assert reading_roles(principal("510100", role), "510117") == frozenset()


def test_read_below_role_does_not_let_act_below() -> None:
    with pytest.raises(PermissionDenied, match=r"division 510100 may act only in its own division, not in 510117"):
        check_act(principal("510100", Role.LEADER), "510117")


@pytest.mark.parametrize(
    ("own", "target"),
    [
        ("510117", "510104"),  # sibling county
        ("510117101", "510117102"),  # sibling township
        ("510117", "510100"),  # parent
        ("510117101", "510117"),  # parent of a township
        ("510100", "440100"),  # unrelated province
        ("510000", "440106"),
        ("510100", "not-a-code"),
    ],
)
def test_never_sideways_or_up(own: str, target: str) -> None:
    leader = principal(own, *Role)
    with pytest.raises(PermissionDenied, match=rf"division {own} may not read {target}"):
        require_read(leader, target, *Role)
    assert reading_roles(leader, target) == frozenset()
    with pytest.raises(PermissionDenied, match=rf"division {own} may act only .* not in {target}"):
        check_act(leader, target)


# Combined roles: each permission belongs to the role that grants it, never to the principal as a whole.


def test_a_role_that_reads_below_lends_its_right_to_no_other_role() -> None:
    county = principal("510117", Role.HOTLINE_OPERATOR, Role.LEADER, Role.HANDLING_UNIT)
    assert reading_roles(county, "510117101") == {Role.LEADER}
    assert require_read(county, "510117101", Role.HOTLINE_OPERATOR, Role.LEADER) == {Role.LEADER}
    assert require_read(county, "510117", Role.HOTLINE_OPERATOR, Role.LEADER) == {
        Role.HOTLINE_OPERATOR,
        Role.LEADER,
    }


def test_a_use_case_for_roles_that_do_not_read_below_refuses_a_combined_principal_below() -> None:
    county = principal("510117", Role.HOTLINE_OPERATOR, Role.LEADER)
    with pytest.raises(PermissionDenied, match="below its own division, not for this"):
        require_read(county, "510117101", Role.HOTLINE_OPERATOR, Role.HANDLING_UNIT)


def test_below_the_refusal_names_the_roles_that_would_read() -> None:
    operator = principal("510117", Role.HOTLINE_OPERATOR)
    with pytest.raises(PermissionDenied, match="only with one of the roles evaluator, leader"):
        require_read(operator, "510117101", Role.HOTLINE_OPERATOR, Role.LEADER, Role.EVALUATOR)


def test_require_role() -> None:
    operator = principal("510117", Role.HOTLINE_OPERATOR)
    require_role(operator, Role.HOTLINE_OPERATOR, Role.LEADER)
    with pytest.raises(PermissionDenied, match="needs one of the roles disclosure_officer, leader"):
        require_role(operator, Role.LEADER, Role.DISCLOSURE_OFFICER)


# --- tokens ---------------------------------------------------------------------------------------------


@pytest.fixture
def issuer(tmp_path: Path) -> DevIssuer:
    return DevIssuer(tmp_path / "keys" / "signing-key.pem", ISSUER, AUDIENCE)


@pytest.fixture
def verifier(issuer: DevIssuer) -> TokenVerifier:
    return TokenVerifier(issuer.public_key_pem, ISSUER, AUDIENCE)


@pytest.fixture
def signing_key() -> ec.EllipticCurvePrivateKey:
    return ec.generate_private_key(ec.SECP256R1())


def pem_of(key: ec.EllipticCurvePrivateKey) -> str:
    return key.public_key().public_bytes(Encoding.PEM, PublicFormat.SubjectPublicKeyInfo).decode()


def b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def claims(**changes: object) -> dict[str, object]:
    now = datetime.now(UTC)
    base = {
        "sub": "u1",
        "roles": ["leader"],
        "division": "510117",
        "iss": ISSUER,
        "aud": AUDIENCE,
        "iat": now,
        "exp": now + HOUR,
    }
    base.update(changes)
    return {key: value for key, value in base.items() if value is not None}


def test_token_round_trip(issuer: DevIssuer, verifier: TokenVerifier) -> None:
    token = issuer.issue("张三", [Role.LEADER, "evaluator"], "510117101", HOUR)
    assert verifier.verify(token) == Principal(
        subject="张三", roles=frozenset({Role.LEADER, Role.EVALUATOR}), division="510117101"
    )


def test_expired_token_is_rejected(issuer: DevIssuer, verifier: TokenVerifier) -> None:
    token = issuer.issue("u1", [Role.LEADER], "510117", timedelta(minutes=-1))
    with pytest.raises(Unauthenticated, match="expired"):
        verifier.verify(token)


@pytest.mark.parametrize(("issuer_name", "audience"), [("someone-else", AUDIENCE), (ISSUER, "other-app")])
def test_wrong_issuer_or_audience_is_rejected(issuer: DevIssuer, issuer_name: str, audience: str) -> None:
    token = issuer.issue("u1", [Role.LEADER], "510117", HOUR)
    with pytest.raises(Unauthenticated):
        TokenVerifier(issuer.public_key_pem, issuer_name, audience).verify(token)


def test_tampered_payload_is_rejected(
    issuer: DevIssuer, verifier: TokenVerifier, signing_key: ec.EllipticCurvePrivateKey
) -> None:
    header, _, signature = issuer.issue("u1", [Role.HANDLING_UNIT], "510117", HOUR).split(".")
    forged_payload = jwt.encode(claims(roles=["stack_operator"]), signing_key, "ES256").split(".")[1]
    with pytest.raises(Unauthenticated, match="Signature verification failed"):
        verifier.verify(f"{header}.{forged_payload}.{signature}")


def test_token_signed_by_another_key_is_rejected(
    verifier: TokenVerifier, signing_key: ec.EllipticCurvePrivateKey
) -> None:
    with pytest.raises(Unauthenticated, match="Signature verification failed"):
        verifier.verify(jwt.encode(claims(), signing_key, "ES256"))


def test_unsigned_and_symmetric_tokens_are_rejected(issuer: DevIssuer, verifier: TokenVerifier) -> None:
    with pytest.raises(Unauthenticated):
        verifier.verify(jwt.encode(claims(), None, "none"))
    # Algorithm confusion: an HMAC keyed with the public key must not pass (PyJWT will not sign one).
    header = b64url(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
    signing_input = f"{header}.{b64url(json.dumps(claims(), default=str).encode())}"
    mac = hmac.digest(issuer.public_key_pem.encode(), signing_input.encode(), "sha256")
    with pytest.raises(Unauthenticated, match="alg value is not allowed"):
        verifier.verify(f"{signing_input}.{b64url(mac)}")


@pytest.mark.parametrize(
    ("bad_claims", "message"),
    [
        (claims(division=None), "division"),
        (claims(sub=None), "sub"),
        (claims(roles=None), "roles"),
        (claims(exp=None), "exp"),
        (claims(iat=None), "iat"),
        (claims(iss=None), "iss"),
        (claims(aud=None), "aud"),
        (claims(roles=["leader", "mayor"]), "unknown roles"),
        (claims(roles=[{"name": "leader"}]), "unknown roles"),
        (claims(roles=[]), "non-empty list"),
        (claims(roles="leader"), "non-empty list"),
        (claims(division="5101"), "not a division code"),
        (claims(division=510117), "not a division code"),
        (claims(sub=""), "empty or blank sub"),
        (claims(sub="   "), "empty or blank sub"),
        (claims(sub=42), "Subject must be a string"),
    ],
)
def test_bad_claims_are_rejected(
    signing_key: ec.EllipticCurvePrivateKey, bad_claims: dict[str, object], message: str
) -> None:
    verifier = TokenVerifier(pem_of(signing_key), ISSUER, AUDIENCE)
    with pytest.raises(Unauthenticated, match=message):
        verifier.verify(jwt.encode(bad_claims, signing_key, "ES256"))


def test_garbage_token_is_rejected(verifier: TokenVerifier) -> None:
    with pytest.raises(Unauthenticated):
        verifier.verify("not.a.token")


# --- metadata -------------------------------------------------------------------------------------------


def test_bearer_metadata_round_trip() -> None:
    metadata = (("x-request-id", "r1"), *bearer_metadata("abc.def.ghi"))
    assert metadata[1] == ("authorization", "Bearer abc.def.ghi")
    assert token_from_metadata(metadata) == "abc.def.ghi"


@pytest.mark.parametrize(
    "metadata",
    [
        None,
        (),
        (("x-request-id", "r1"),),
        (("authorization", "Basic dXNlcjpwYXNz"),),
        (("authorization", "Bearer "),),
        (("authorization", b"Bearer abc"),),
    ],
)
def test_no_usable_bearer_token(metadata: tuple[tuple[str, str | bytes], ...] | None) -> None:
    assert token_from_metadata(metadata) is None


def test_bearer_scheme_is_case_insensitive() -> None:
    assert token_from_metadata((("authorization", "bearer abc"),)) == "abc"


# --- dev issuer and settings ----------------------------------------------------------------------------


def test_dev_key_is_private_and_reused(tmp_path: Path) -> None:
    key_file = tmp_path / "dev-auth" / "signing-key.pem"
    first = DevIssuer(key_file, ISSUER, AUDIENCE)
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert DevIssuer(key_file, ISSUER, AUDIENCE).public_key_pem == first.public_key_pem
    assert [path.name for path in key_file.parent.iterdir()] == ["signing-key.pem"]


def test_dev_issuer_rejects_bad_input(issuer: DevIssuer) -> None:
    with pytest.raises(ValueError, match="division code"):
        issuer.issue("u1", [Role.LEADER], "5101", HOUR)
    with pytest.raises(ValueError, match="mayor"):
        issuer.issue("u1", ["mayor"], "510100", HOUR)


def test_dev_mode_settings_verify_dev_tokens(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    key_file = tmp_path / "signing-key.pem"
    monkeypatch.setenv("SUNSHINE_AUTH_MODE", "dev")
    monkeypatch.setenv("SUNSHINE_AUTH_DEV_KEY_FILE", str(key_file))
    verifier = AuthSettings().verifier()
    token = DevIssuer(key_file, ISSUER, AUDIENCE).issue("u1", [Role.EVALUATOR], "510100", HOUR)
    assert verifier.verify(token).division == "510100"


def test_jwt_mode_settings_use_the_configured_public_key(
    monkeypatch: pytest.MonkeyPatch, signing_key: ec.EllipticCurvePrivateKey
) -> None:
    monkeypatch.setenv("SUNSHINE_AUTH_MODE", "jwt")
    monkeypatch.setenv("SUNSHINE_AUTH_ISSUER", "https://idp.example.gov.cn")
    monkeypatch.setenv("SUNSHINE_AUTH_PUBLIC_KEY", pem_of(signing_key))
    token = jwt.encode(claims(iss="https://idp.example.gov.cn"), signing_key, "ES256")
    assert AuthSettings().verifier().verify(token).subject == "u1"


# --- the sunshine-dev-token command ---------------------------------------------------------------------

CLI_ARGS = ["sunshine-dev-token", "--subject", "李四", "--role", "leader", "--role", "evaluator"]


@pytest.mark.parametrize("mode", ["jwt", None])
def test_cli_refuses_outside_dev_mode(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, mode: str | None) -> None:
    key_file = tmp_path / "signing-key.pem"
    if mode is None:
        monkeypatch.delenv("SUNSHINE_AUTH_MODE", raising=False)
    else:
        monkeypatch.setenv("SUNSHINE_AUTH_MODE", mode)
    monkeypatch.setenv("SUNSHINE_AUTH_DEV_KEY_FILE", str(key_file))
    monkeypatch.setattr(sys, "argv", [*CLI_ARGS, "--division", "510100"])
    with pytest.raises(SystemExit, match="refused") as caught:
        main()
    assert caught.value.code != 0
    assert not key_file.exists()


def test_cli_prints_a_token_in_dev_mode(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("SUNSHINE_AUTH_MODE", "dev")
    monkeypatch.setenv("SUNSHINE_AUTH_DEV_KEY_FILE", str(tmp_path / "signing-key.pem"))
    monkeypatch.setattr(sys, "argv", [*CLI_ARGS, "--division", "510117", "--ttl-minutes", "5"])
    main()
    token = capsys.readouterr().out.strip()
    assert AuthSettings().verifier().verify(token) == Principal(
        subject="李四", roles=frozenset({Role.LEADER, Role.EVALUATOR}), division="510117"
    )


def test_cli_rejects_a_bad_division(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SUNSHINE_AUTH_MODE", "dev")
    monkeypatch.setenv("SUNSHINE_AUTH_DEV_KEY_FILE", str(tmp_path / "signing-key.pem"))
    monkeypatch.setattr(sys, "argv", [*CLI_ARGS, "--division", "chengdu"])
    with pytest.raises(SystemExit, match="not a 6- or 9-digit division code"):
        main()
