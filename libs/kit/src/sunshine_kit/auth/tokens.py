"""Verifying bearer tokens (JWT) into a Principal. Anything wrong with a token is Unauthenticated."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import jwt
from cryptography.hazmat.primitives.serialization import load_pem_public_key

from sunshine_kit.auth.principal import Principal, Role
from sunshine_kit.errors import Unauthenticated
from sunshine_kit.identity import is_division_code

REQUIRED_CLAIMS = ("sub", "roles", "division", "iss", "aud", "exp", "iat")
_ROLE_NAMES = frozenset(Role)


class TokenVerifier:
    def __init__(
        self,
        public_key_pem: str | bytes,
        issuer: str,
        audience: str,
        algorithms: Sequence[str] = ("ES256",),
    ) -> None:
        pem = public_key_pem.encode() if isinstance(public_key_pem, str) else public_key_pem
        self._key = load_pem_public_key(pem)
        self._issuer = issuer
        self._audience = audience
        self._algorithms = list(algorithms)

    def verify(self, token: str) -> Principal:
        try:
            claims = jwt.decode(
                token,
                self._key,
                algorithms=self._algorithms,
                issuer=self._issuer,
                audience=self._audience,
                options={"require": list(REQUIRED_CLAIMS)},
            )
        except jwt.PyJWTError as exc:
            raise Unauthenticated(f"invalid token: {exc}") from None
        return _principal(claims)


def _principal(claims: dict[str, Any]) -> Principal:
    subject, roles, division = claims["sub"], claims["roles"], claims["division"]
    if not subject:
        raise Unauthenticated("invalid token: empty sub claim")
    if not isinstance(division, str) or not is_division_code(division):
        raise Unauthenticated(f"invalid token: division claim {division!r} is not a division code")
    if not isinstance(roles, list) or not roles:
        raise Unauthenticated("invalid token: roles claim must be a non-empty list")
    unknown = [role for role in roles if not isinstance(role, str) or role not in _ROLE_NAMES]
    if unknown:
        raise Unauthenticated(f"invalid token: unknown roles {unknown!r}")
    return Principal(subject=subject, roles=frozenset(Role(role) for role in roles), division=division)
