"""The client's address (proxies resolved by uvicorn's forwarded_allow_ips) goes with every call to the
services, for their audit trail's "from where"."""

from __future__ import annotations

from starlette.types import ASGIApp, Receive, Scope, Send
from sunshine_kit.rpc.client import on_behalf_of


class ForwardClientAddress:
    def __init__(self, app: ASGIApp) -> None:
        self._app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        client = scope.get("client")
        with on_behalf_of(client[0] if client else ""):
            await self._app(scope, receive, send)
