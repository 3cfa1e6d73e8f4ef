"""Service identity: the stack's own services calling each other without a human caller (consumers, sweeps).

Each stack has one service signing key (ES256). A service mints itself short-lived tokens with it: subject
``service:<name>``, claim ``service``, the stack's division, issuer ``sunshine-services:<division>``, no ``roles``.
A service principal holds no human role, so no staff permission applies to it: a service that accepts one grants
it a specific permission explicitly (``require_service``). Verifiers accept only the own stack's issuer, key and
division, and only short lifetimes; a token of another stack's services is refused.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import load_pem_public_key

from sunshine_kit.auth.metadata import bearer_metadata
from sunshine_kit.errors import PermissionDenied, Unauthenticated

SUBJECT_PREFIX = "service:"
REQUIRED_CLAIMS = ("sub", "service", "division", "iss", "aud", "exp", "iat")
# A verifier refuses tokens meant to live longer than this, whoever minted them.
MAX_TTL = timedelta(minutes=15)
# A cached token is renewed when less than this share of its lifetime is left.
RENEW_AT_REMAINING = 0.2
_SERVICE_NAME = re.compile(r"[a-z][a-z0-9_-]{0,31}")


def service_issuer(division: str) -> str:
    return f"sunshine-services:{division}"


@dataclass(frozen=True)
class ServicePrincipal:
    """One of the stack's own services: no roles, and the stack's division."""

    service: str
    division: str

    @property
    def subject(self) -> str:
        return SUBJECT_PREFIX + self.service


def require_service(caller: ServicePrincipal, service: str, division: str) -> None:
    """An explicit grant: only `service` of this stack's `division`."""
    if (caller.service, caller.division) != (service, division):
        raise PermissionDenied(
            f"{caller.subject} of division {caller.division} may not make this call: "
            f"it is granted to {SUBJECT_PREFIX}{service} of division {division} only"
        )


class ServiceTokenIssuer:
    """Mints the tokens of this stack's services with the stack's service signing key."""

    def __init__(self, private_key: ec.EllipticCurvePrivateKey, division: str, audience: str) -> None:
        self._key = private_key
        self._division = division
        self._audience = audience

    def issue(self, service: str, ttl: timedelta, now: float | None = None) -> str:
        if not _SERVICE_NAME.fullmatch(service):
            raise ValueError(f"{service!r} is not a service name (lower-case letters, digits, - and _)")
        if not timedelta(0) < ttl <= MAX_TTL:
            raise ValueError(f"a service token lives at most {MAX_TTL}")
        issued = int(time.time() if now is None else now)
        claims = {
            "sub": SUBJECT_PREFIX + service,
            "service": service,
            "division": self._division,
            "iss": service_issuer(self._division),
            "aud": self._audience,
            "iat": issued,
            "exp": issued + int(ttl.total_seconds()),
        }
        return jwt.encode(claims, self._key, algorithm="ES256")


class ServiceTokenVerifier:
    """Accepts tokens of this stack's services only: signed by one of `public_keys` (the current key, and the
    previous one while a rotation is under way), issuer and division of this stack, short-lived, no roles."""

    def __init__(self, public_keys: Sequence[str], division: str, audience: str) -> None:
        if not public_keys:
            raise ValueError("a service token verifier needs at least one public key")
        self._keys = [load_pem_public_key(pem.encode()) for pem in public_keys]
        self._division = division
        self._audience = audience
        self.issuer = service_issuer(division)

    def verify(self, token: str) -> ServicePrincipal:
        claims = self._claims(token)
        service, division = claims["service"], claims["division"]
        if "roles" in claims:
            raise Unauthenticated("invalid service token: a service principal holds no roles")
        if not isinstance(service, str) or not _SERVICE_NAME.fullmatch(service):
            raise Unauthenticated(f"invalid service token: service claim {service!r} is not a service name")
        if claims["sub"] != SUBJECT_PREFIX + service:
            raise Unauthenticated("invalid service token: sub does not name the service")
        if division != self._division:
            raise Unauthenticated(f"invalid service token: division {division!r} is not this stack's")
        if claims["exp"] - claims["iat"] > MAX_TTL.total_seconds():
            raise Unauthenticated(f"invalid service token: it would live longer than {MAX_TTL}")
        return ServicePrincipal(service, division)

    def _claims(self, token: str) -> dict[str, Any]:
        failure: jwt.PyJWTError | None = None
        for key in self._keys:
            try:
                return jwt.decode(
                    token,
                    key,  # type: ignore[arg-type]
                    algorithms=["ES256"],
                    issuer=self.issuer,
                    audience=self._audience,
                    options={"require": list(REQUIRED_CLAIMS)},
                )
            except jwt.InvalidSignatureError as error:
                failure = error
            except jwt.PyJWTError as error:
                raise Unauthenticated(f"invalid service token: {error}") from None
        raise Unauthenticated(f"invalid service token: {failure}")


class ServiceCredentials:
    """A running service's own bearer token for its calls without a caller, renewed before it expires."""

    def __init__(
        self,
        issuer: ServiceTokenIssuer,
        service: str,
        ttl: timedelta,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._issuer = issuer
        self._service = service
        self._ttl = ttl
        self._clock = clock
        self._token = ""
        self._renew_at = 0.0

    def metadata(self) -> tuple[tuple[str, str], ...]:
        now = self._clock()
        if now >= self._renew_at:
            self._token = self._issuer.issue(self._service, self._ttl, now)
            self._renew_at = now + self._ttl.total_seconds() * (1 - RENEW_AT_REMAINING)
        return bearer_metadata(self._token)
