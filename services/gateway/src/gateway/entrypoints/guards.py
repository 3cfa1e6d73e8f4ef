"""The gateway's protections around every route: security headers, public rate limits, and the client's
address forwarded to the services' audit trail."""

from __future__ import annotations

from fastapi import FastAPI

from gateway.config import GatewaySettings
from gateway.entrypoints.client_address import ForwardClientAddress
from gateway.entrypoints.rate_limits import RateLimits
from gateway.entrypoints.security_headers import SecurityHeaders


def install_guards(app: FastAPI, settings: GatewaySettings) -> None:
    # The last added runs first: headers go on every answer, the 429s included.
    app.add_middleware(ForwardClientAddress)
    app.add_middleware(RateLimits, settings=settings, openapi=app.openapi)
    app.add_middleware(SecurityHeaders, settings=settings)
