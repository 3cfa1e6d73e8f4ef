"""Who may call a service: staff with a token of the identity provider, or one of the stack's own services."""

from __future__ import annotations

import jwt

from sunshine_kit.auth.principal import Principal
from sunshine_kit.auth.service_identity import ServicePrincipal, ServiceTokenVerifier
from sunshine_kit.auth.tokens import TokenVerifier
from sunshine_kit.errors import Unauthenticated


class CallerVerifier:
    """Sends a token to the verifier of its issuer: the stack's service issuer, or else the staff's."""

    def __init__(self, staff: TokenVerifier, services: ServiceTokenVerifier) -> None:
        self._staff = staff
        self._services = services

    def verify(self, token: str) -> Principal | ServicePrincipal:
        try:
            # Only to choose the verifier; the chosen one checks the signature and every claim.
            issuer = jwt.decode(token, options={"verify_signature": False}).get("iss")
        except jwt.PyJWTError as exc:
            raise Unauthenticated(f"invalid token: {exc}") from None
        if issuer == self._services.issuer:
            return self._services.verify(token)
        return self._staff.verify(token)
