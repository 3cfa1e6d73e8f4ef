"""Request bodies over the gateway's limit are refused with 413 before anything parses them.

The limit sits well below gRPC's 4 MiB per message, so no request the gateway passes on can be too large for
a service. A body that declares its length is refused before it is read; one sent in chunks is counted as it
arrives and refused at the first byte over the limit.
"""

from __future__ import annotations

from starlette.datastructures import Headers
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from sunshine_kit.errors import TooLarge

from gateway.entrypoints.errors import error_response

MAX_BODY_MIB = 1
MAX_BODY_BYTES = MAX_BODY_MIB * 1024 * 1024
TOO_LARGE = f"请求内容超过 {MAX_BODY_MIB} MiB 上限 / the request body is over the {MAX_BODY_MIB} MiB limit"


class _BodyTooLarge(HTTPException):
    # An HTTPException, so that FastAPI lets it through its body parsing and the app's handler answers it.
    def __init__(self) -> None:
        super().__init__(413, TOO_LARGE)


class BodySizeLimit:
    def __init__(self, app: ASGIApp, max_bytes: int = MAX_BODY_BYTES) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if self._declared_length(scope) > self.max_bytes:
            await error_response(TooLarge(TOO_LARGE))(scope, receive, send)
            return
        received = 0

        async def counted() -> Message:
            nonlocal received
            message = await receive()
            received += len(message.get("body", b""))
            if received > self.max_bytes:
                raise _BodyTooLarge()
            return message

        await self.app(scope, counted, send)

    @staticmethod
    def _declared_length(scope: Scope) -> int:
        length = Headers(scope=scope).get("content-length", "")
        return int(length) if length.isdigit() else 0
