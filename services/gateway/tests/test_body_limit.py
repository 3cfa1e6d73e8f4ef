"""Bodies over the gateway's limit are refused with 413 before they are parsed, in the stable error body."""

from __future__ import annotations

import json

from fastapi import FastAPI
from gateway.entrypoints.body_limit import MAX_BODY_BYTES, BodySizeLimit
from gateway.entrypoints.errors import install_error_handlers
from pydantic import BaseModel
from starlette.types import Message


class _Follow(BaseModel):
    number: str
    code: str


def _app(calls: list[str]) -> FastAPI:
    app = FastAPI()
    install_error_handlers(app)
    app.add_middleware(BodySizeLimit)

    @app.post("/follow")
    def follow(body: _Follow) -> dict[str, int]:
        calls.append("follow")
        return {"code_length": len(body.code)}

    return app


async def _post(app: FastAPI, chunks: list[bytes], headers: list[tuple[bytes, bytes]]) -> tuple[int, dict, int]:
    """Posts the chunks as they would arrive; the status, the JSON body, and how many chunks the app read."""
    pending = list(chunks)
    read = 0

    async def receive() -> Message:
        nonlocal read
        read += 1
        body = pending.pop(0) if pending else b""
        return {"type": "http.request", "body": body, "more_body": bool(pending)}

    sent: list[Message] = []

    async def send(message: Message) -> None:
        sent.append(message)

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": "/follow",
        "raw_path": b"/follow",
        "query_string": b"",
        "root_path": "",
        "headers": [(b"content-type", b"application/json"), *headers],
        "client": ("127.0.0.1", 1),
        "server": ("127.0.0.1", 80),
    }
    await app(scope, receive, send)
    status = next(m["status"] for m in sent if m["type"] == "http.response.start")
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    return status, json.loads(body), read


async def test_a_body_declared_over_the_limit_is_refused_unread() -> None:
    calls: list[str] = []
    declared = str(60 * 1024 * 1024).encode()

    status, body, read = await _post(_app(calls), [b"{" * 1024], [(b"content-length", declared)])

    assert (status, body["error"]["code"]) == (413, "RESOURCE_EXHAUSTED")
    assert "1 MiB" in body["error"]["message"]
    assert (read, calls) == (0, [])


async def test_a_body_sent_in_chunks_is_refused_at_the_first_chunk_over_the_limit() -> None:
    calls: list[str] = []
    chunk = b" " * (256 * 1024)
    chunks = [b'{"number": "1", "code": "'] + [chunk] * 40 + [b'"}']

    status, body, read = await _post(_app(calls), chunks, [])

    assert (status, body["error"]["code"]) == (413, "RESOURCE_EXHAUSTED")
    assert read == MAX_BODY_BYTES // len(chunk) + 1
    assert calls == []


async def test_a_body_within_the_limit_goes_through() -> None:
    calls: list[str] = []
    code = "x" * (MAX_BODY_BYTES - 100)
    content = json.dumps({"number": "1", "code": code}).encode()

    status, body, _ = await _post(_app(calls), [content], [(b"content-length", str(len(content)).encode())])

    assert (status, body, calls) == (200, {"code_length": len(code)}, ["follow"])
