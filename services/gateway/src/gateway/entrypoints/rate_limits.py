"""Rate limits on the public (signed-out) API endpoints, per client address and, for following or evaluating a
ticket or request, per ticket or request number (docs/auth.md, "Abuse limits").

A path under /api/ or /open311/ is public unless the OpenAPI document says its operation needs a staff bearer
token (`security`), so the limits and the document (429 on every public operation) cannot disagree; an unknown
path counts as a public read. Public reads, public submissions and follow-ups each have their own limit. An answer
over the limit is 429 with Retry-After. Limits are kept in this process's memory: N gateway replicas allow N times
the rate, unless the proxy in front pins each client to one replica.
"""

from __future__ import annotations

import json
import math
import re
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from gateway.config import GatewaySettings

FOLLOW_PATHS = frozenset(
    {"/api/v1/hotline/public/follow", "/api/v1/hotline/public/evaluate", "/api/v1/disclosure/requests/follow"}
)
# The public API; pages and their assets (the dashboard, /docs) and the health probes are not limited here.
LIMITED_PREFIXES = ("/api/", "/open311/")
READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
MAX_KEYS = 100_000
MAX_FOLLOW_BODY = 16_384


@dataclass(frozen=True)
class Rate:
    count: int
    per_s: float


class Buckets:
    """The generic cell rate algorithm per key: `count` requests at once, then one every `per_s / count`
    seconds. At most MAX_KEYS keys are remembered; the least recently allowed is forgotten first."""

    def __init__(self, rate: Rate, clock: Callable[[], float]) -> None:
        self._interval = rate.per_s / rate.count
        self._burst = rate.per_s - self._interval
        self._clock = clock
        self._due: OrderedDict[str, float] = OrderedDict()

    def wait(self, key: str) -> float:
        """0 when a request may go now (and it is counted), else the seconds until one may."""
        now = self._clock()
        due = max(self._due.get(key, now), now)
        if due - now > self._burst:
            return due - now - self._burst
        self._due[key] = due + self._interval
        self._due.move_to_end(key)
        if len(self._due) > MAX_KEYS:
            self._due.popitem(last=False)
        return 0.0


def _buckets(count: int, per_s: float, clock: Callable[[], float]) -> Buckets | None:
    return Buckets(Rate(count, per_s), clock) if count else None


class RateLimits:
    def __init__(
        self,
        app: ASGIApp,
        settings: GatewaySettings,
        openapi: Callable[[], dict[str, Any]],
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._app = app
        self._openapi = openapi
        self._staff_paths: list[re.Pattern[str]] | None = None
        self._per_client = {
            "read": _buckets(settings.public_reads_per_minute, 60, clock),
            "submit": _buckets(settings.submissions_per_minute, 60, clock),
            "follow": _buckets(settings.follow_attempts_per_minute, 60, clock),
        }
        self._per_number = _buckets(settings.follow_attempts_per_number_per_hour, 3600, clock)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        kind = self._kind(scope) if scope["type"] == "http" else None
        if kind is None:
            await self._app(scope, receive, send)
            return
        client = scope["client"][0] if scope.get("client") else ""
        wait = _wait(self._per_client[kind], f"{kind}:{client}")
        if not wait and kind == "follow" and self._per_number is not None:
            number, receive = await _number_in_body(receive)
            wait = _wait(self._per_number, f"number:{number}") if number else 0.0
        if wait:
            await _too_many(scope, send, wait)
            return
        await self._app(scope, receive, send)

    def _kind(self, scope: Scope) -> str | None:
        path, method = scope["path"], scope["method"]
        if not path.startswith(LIMITED_PREFIXES):
            return None
        if self._staff_paths is None:  # the document is complete only once every router is in
            self._staff_paths = staff_paths(self._openapi())
        if any(pattern.fullmatch(path) for pattern in self._staff_paths):
            return None
        if path in FOLLOW_PATHS and method == "POST":
            return "follow"
        return "read" if method in READ_METHODS else "submit"


def staff_paths(document: dict[str, Any]) -> list[re.Pattern[str]]:
    """The paths whose every operation asks for a staff token, as patterns ({name} stands for one segment)."""
    return [
        re.compile(re.sub(r"\\\{\w+\\\}", "[^/]+", re.escape(path)))
        for path, operations in document.get("paths", {}).items()
        if all(operation.get("security") for operation in operations.values())
    ]


def _wait(buckets: Buckets | None, key: str) -> float:
    return buckets.wait(key) if buckets is not None else 0.0


async def _number_in_body(receive: Receive) -> tuple[str, Receive]:
    """The body's `number` (as the services strip it), and a receive that hands the body on unchanged."""
    messages: list[Message] = []
    size, more = 0, True
    while more and size <= MAX_FOLLOW_BODY:
        message = await receive()
        messages.append(message)
        size += len(message.get("body", b""))
        more = message["type"] == "http.request" and message.get("more_body", False)
    number = _number(b"".join(m.get("body", b"") for m in messages)) if not more else ""

    async def replay() -> Message:
        return messages.pop(0) if messages else await receive()

    return number, replay


def _number(body: bytes) -> str:
    try:
        value: Any = json.loads(body)
    except ValueError:
        return ""
    number = value.get("number") if isinstance(value, dict) else None
    return number.strip() if isinstance(number, str) else ""


async def _too_many(scope: Scope, send: Send, wait: float) -> None:
    seconds = max(1, math.ceil(wait))
    message = f"请求过于频繁，请 {seconds} 秒后再试 (too many requests; retry after {seconds} s)"
    if scope["path"].startswith("/open311/"):
        body: Any = [{"code": 429, "description": message}]
    else:
        body = {"error": {"code": "RESOURCE_EXHAUSTED", "message": message}}
    payload = json.dumps(body, ensure_ascii=False).encode()
    headers = [(b"content-type", b"application/json"), (b"retry-after", str(seconds).encode())]
    await send({"type": "http.response.start", "status": 429, "headers": headers})
    await send({"type": "http.response.body", "body": payload})
