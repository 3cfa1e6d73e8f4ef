"""Security headers on every answer: no MIME sniffing, no framing, no referrer, and HSTS over TLS."""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from gateway.config import GatewaySettings


class SecurityHeaders:
    def __init__(self, app: ASGIApp, settings: GatewaySettings) -> None:
        self._app = app
        self._headers = [
            (b"x-content-type-options", b"nosniff"),
            (b"x-frame-options", b"DENY"),
            (b"referrer-policy", b"no-referrer"),
            (b"content-security-policy", settings.content_security_policy.encode()),
        ]
        age = settings.hsts_max_age_s
        self._hsts = [(b"strict-transport-security", f"max-age={age}; includeSubDomains".encode())] if age else []

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self._app(scope, receive, send)
            return
        extra = self._headers + (self._hsts if scope.get("scheme") == "https" else [])

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *extra]
            await send(message)

        await self._app(scope, receive, send_with_headers)
