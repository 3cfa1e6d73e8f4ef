"""Request rate, latency and errors per route and method (an ASGI middleware), and the sync lag per child stack
(sampled while the metrics endpoint is on); the endpoint itself is the kit's `MetricsEndpoint`."""

from __future__ import annotations

import asyncio
import time

from prometheus_client import Counter, Histogram
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from sunshine_kit.metrics import Sampler, sync_measurement
from sunshine_kit.settings import StackSettings

from gateway.adapters.event_bus import EventBus

ROUTE_LABELS = ("division", "method", "route")
# Paths no route matched, and methods HTTP does not define, are counted under one label each, so a client
# sending random URLs or methods cannot grow the number of series.
UNMATCHED_ROUTE = "unmatched"
OTHER_METHOD = "other"
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})

REQUESTS = Counter(
    "sunshine_http_server_requests",
    "HTTP requests answered, by status code (5xx are errors; 4xx refused requests)",
    (*ROUTE_LABELS, "status"),
)
REQUEST_SECONDS = Histogram(
    "sunshine_http_server_request_duration_seconds", "Time from receiving a request to its response", ROUTE_LABELS
)


class HttpMetrics:
    def __init__(self, app: ASGIApp, division: str) -> None:
        self.app = app
        self.division = division

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500  # what the server answers when the app raises before responding

        async def send_recording_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_recording_status)
        finally:
            method = scope["method"] if scope["method"] in METHODS else OTHER_METHOD
            labels = (self.division, method, route_template(scope))
            REQUEST_SECONDS.labels(*labels).observe(time.perf_counter() - started)
            REQUESTS.labels(*labels, str(status)).inc()


def route_template(scope: Scope) -> str:
    """The matched route's path template, e.g. /api/v1/hotline/tickets/{ticket_id}.

    The router leaves the matched route in the shared scope. A route knows its own router's prefix but not the
    prefixes `include_router` added above it: those are the part of the request path before the route's own."""
    route = scope.get("route")
    if route is None:
        return UNMATCHED_ROUTE
    own_part = route.path_format.format(**scope.get("path_params", {}))
    path: str = scope["path"]
    included_prefix = path[: len(path) - len(own_part)] if path.endswith(own_part) else ""
    return included_prefix + route.path


def start_sync_sampling(settings: StackSettings, event_bus: EventBus) -> asyncio.Task[None] | None:
    """Sync lag per child, for a stack with children whose gateway serves metrics."""
    if settings.gateway_metrics_addr is None or not settings.children:
        return None
    sampler = Sampler(settings.metrics_interval_s)
    sampler.add("sync", sync_measurement(lambda: event_bus.client, settings.identity))
    return asyncio.create_task(sampler.run())
