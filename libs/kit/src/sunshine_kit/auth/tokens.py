"""Verifying staff bearer tokens (JWT) into a Principal. Anything wrong with a token is Unauthenticated.

The signing keys are one fixed public key (the dev issuer's, or a provider without a JWKS) or the identity
provider's JWKS (OIDC), fetched and cached by PyJWT's PyJWKClient, so the provider rotates keys without a restart.
Where the provider keeps roles, division and subject is configurable (`ClaimNames`; Keycloak: docs/auth.md).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import load_pem_public_key

from sunshine_kit.auth.principal import Principal, Role
from sunshine_kit.errors import DependencyUnavailable, Unauthenticated
from sunshine_kit.identity import is_division_code

REQUIRED_CLAIMS = ("sub", "iss", "aud", "exp", "iat")
ASYMMETRIC_ALGORITHMS = frozenset({"ES256", "ES384", "ES512", "RS256", "RS384", "RS512", "PS256", "PS384", "PS512"})
DEFAULT_MAX_LIFETIME = timedelta(hours=8)
JWKS_CACHE_S = 600
JWKS_REFETCH_COOLDOWN_S = 30
JWKS_TIMEOUT_S = 5
_ROLE_NAMES = frozenset(Role)

# Finds the key that checks a token's signature; a PyJWK is bound to one algorithm, so a token whose header
# names another (an HMAC keyed with the public key, an EC token against an RSA key) is refused.
KeyResolver = Callable[[str], jwt.PyJWK]


@dataclass(frozen=True)
class ClaimNames:
    """Where the identity provider puts what Sunshine needs; `roles` may be a dotted path (realm_access.roles).
    With a `role_prefix`, only roles carrying it count (the provider's other roles are ignored)."""

    subject: str = "sub"
    roles: str = "roles"
    role_prefix: str = ""
    division: str = "division"


def fixed_key(public_key_pem: str | bytes) -> KeyResolver:
    key = load_pem_public_key(public_key_pem.encode() if isinstance(public_key_pem, str) else public_key_pem)
    family = jwt.algorithms.RSAAlgorithm if isinstance(key, rsa.RSAPublicKey) else jwt.algorithms.ECAlgorithm
    jwk = jwt.PyJWK(family.to_jwk(key, as_dict=True))
    return lambda token: jwk


def jwks_keys(url: str, cooldown_s: float = JWKS_REFETCH_COOLDOWN_S) -> KeyResolver:
    """The provider's JWKS: cached, fetched again at once for an unknown `kid`, but at most once per
    `cooldown_s`, so tokens with made-up key ids cannot make every request a fetch."""
    client = jwt.PyJWKClient(url, lifespan=JWKS_CACHE_S, timeout=JWKS_TIMEOUT_S, cooldown_duration=cooldown_s)

    def resolve(token: str) -> Any:
        try:
            return client.get_signing_key_from_jwt(token)
        except jwt.PyJWKClientConnectionError as error:
            raise DependencyUnavailable(f"the identity provider's keys are unavailable: {error}") from None
        except jwt.PyJWTError as error:
            raise Unauthenticated(f"invalid token: {error}") from None

    return resolve


class TokenVerifier:
    def __init__(
        self,
        keys: KeyResolver | str | bytes,
        issuer: str,
        audience: str,
        algorithms: Sequence[str] = ("ES256",),
        claim_names: ClaimNames = ClaimNames(),  # noqa: B008 - frozen, never mutated
        max_lifetime: timedelta = DEFAULT_MAX_LIFETIME,
    ) -> None:
        unsafe = set(algorithms) - ASYMMETRIC_ALGORITHMS
        if unsafe or not algorithms:
            raise ValueError(f"token algorithms must be asymmetric signatures, not {sorted(unsafe) or 'none'}")
        self._keys = fixed_key(keys) if isinstance(keys, str | bytes) else keys
        self._issuer = issuer
        self._audience = audience
        self._algorithms = list(algorithms)
        self._names = claim_names
        self._max_lifetime = max_lifetime.total_seconds()

    def verify(self, token: str) -> Principal:
        try:
            claims = jwt.decode(
                token,
                self._keys(token),
                algorithms=self._algorithms,
                issuer=self._issuer,
                audience=self._audience,
                options={"require": list(REQUIRED_CLAIMS)},
            )
        except jwt.PyJWTError as exc:
            raise Unauthenticated(f"invalid token: {exc}") from None
        if claims["exp"] - claims["iat"] > self._max_lifetime:
            raise Unauthenticated(f"invalid token: it would live longer than {self._max_lifetime:.0f} s")
        return Principal(subject=self._subject(claims), roles=self._roles(claims), division=self._division(claims))

    def _subject(self, claims: dict[str, Any]) -> str:
        subject = claims.get(self._names.subject)
        if not isinstance(subject, str) or not subject.strip():
            raise Unauthenticated(f"invalid token: empty or blank {self._names.subject} claim")
        return subject

    def _division(self, claims: dict[str, Any]) -> str:
        division = claims.get(self._names.division)
        if not isinstance(division, str) or not is_division_code(division):
            raise Unauthenticated(f"invalid token: division claim {division!r} is not a division code")
        return division

    def _roles(self, claims: dict[str, Any]) -> frozenset[Role]:
        roles: Any = claims
        for part in self._names.roles.split("."):
            roles = roles.get(part) if isinstance(roles, dict) else None
        if not isinstance(roles, list) or not roles:
            raise Unauthenticated(f"invalid token: the {self._names.roles} claim must be a non-empty list")
        prefix = self._names.role_prefix
        if prefix:
            roles = [r.removeprefix(prefix) for r in roles if isinstance(r, str) and r.startswith(prefix)]
        unknown = [role for role in roles if not isinstance(role, str) or role not in _ROLE_NAMES]
        if unknown or not roles:
            raise Unauthenticated(f"invalid token: unknown roles {unknown!r}" if unknown else "invalid token: no role")
        return frozenset(Role(role) for role in roles)
