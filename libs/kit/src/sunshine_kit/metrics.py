"""Prometheus metrics of a Sunshine process: the `/metrics` endpoint (prometheus-client's default registry, which
also carries the process_* and python_* metrics) and the gauges sampled in the background.

Request counters and histograms are recorded where requests pass (`rpc.metrics` for gRPC, the gateway's HTTP
middleware). Backlogs are gauges sampled every `interval_s` by a `Sampler`, not computed per scrape: a scrape
then never waits on the database or NATS, and a stack nobody scrapes costs one small query per interval.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING
from wsgiref.simple_server import WSGIServer

from nats.aio.client import Client
from nats.js import JetStreamContext
from prometheus_client import Gauge, start_http_server

from sunshine_kit.identity import StackIdentity
from sunshine_kit.sync_status import sync_status

if TYPE_CHECKING:  # the gateway imports this module and has no database: keep SQLAlchemy out of its start-up
    from sqlalchemy.ext.asyncio import AsyncEngine

    from sunshine_kit.outbox import Outbox

log = logging.getLogger(__name__)

PROCESS_LABELS = ("division", "service")
CONSUMER_LABELS = (*PROCESS_LABELS, "stream", "consumer")
MEASUREMENT_TIMEOUT_S = 5.0

OUTBOX_BACKLOG = Gauge(
    "sunshine_outbox_backlog_events", "Events committed to the outbox and not yet stored by JetStream", PROCESS_LABELS
)
OUTBOX_OLDEST_AGE = Gauge(
    "sunshine_outbox_oldest_unsent_age_seconds",
    "Age of the oldest event not yet stored by JetStream (0 when the backlog is empty)",
    PROCESS_LABELS,
)
CONSUMER_PENDING = Gauge(
    "sunshine_consumer_pending_messages", "Messages of the consumer's stream not yet delivered", CONSUMER_LABELS
)
CONSUMER_ACK_PENDING = Gauge(
    "sunshine_consumer_ack_pending_messages", "Messages delivered and not yet acknowledged", CONSUMER_LABELS
)
CONSUMER_REDELIVERED = Gauge(
    "sunshine_consumer_redelivered_messages",
    "Messages delivered more than once and not yet acknowledged",
    CONSUMER_LABELS,
)
SYNC_BEHIND = Gauge(
    "sunshine_sync_child_behind_messages",
    "Messages of a child stack's streams the parent has not stored yet (-1 while the child is unreachable)",
    ("division", "child"),
)
SYNC_REACHABLE = Gauge(
    "sunshine_sync_child_reachable", "1 when the child stack's JetStream answers, else 0", ("division", "child")
)

Measurement = Callable[[], Awaitable[None]]


class MetricsEndpoint:
    """`GET /metrics` on `address` (host:port; port 0 picks a free one), served from a daemon thread."""

    @classmethod
    def serve(cls, address: str) -> MetricsEndpoint | None:
        """The endpoint, or None (logged as an error) when its port cannot be bound: a process must not stop
        serving its users because its metrics cannot be served."""
        try:
            return cls(address)
        except OSError as error:
            log.error("metrics endpoint not started on %s: %s", address, error)
            return None

    def __init__(self, address: str) -> None:
        host, _, port = address.rpartition(":")
        self._server: WSGIServer
        self._server, _ = start_http_server(int(port), host)
        self.port: int = self._server.server_port
        log.info("metrics on http://%s:%d/metrics", host, self.port)

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()


class Sampler:
    """Runs every measurement each `interval_s`; a failed one (database or NATS away) is logged and leaves its
    gauges at their last value until it succeeds again."""

    def __init__(self, interval_s: float) -> None:
        self.interval_s = interval_s
        self._measurements: list[tuple[str, Measurement]] = []

    def add(self, name: str, measurement: Measurement) -> None:
        self._measurements.append((name, measurement))

    async def run(self) -> None:
        while True:
            await self.sample_once()
            await asyncio.sleep(self.interval_s)

    async def sample_once(self) -> None:
        for name, measurement in self._measurements:
            try:
                await asyncio.wait_for(measurement(), MEASUREMENT_TIMEOUT_S)
            except Exception as error:
                log.warning("metrics: cannot measure %s: %r", name, error)


@dataclass(frozen=True)
class ConsumerRef:
    stream: str
    durable: str


def outbox_measurement(
    outbox: Outbox, engine: AsyncEngine, labels: Sequence[str], now: Callable[[], datetime]
) -> Measurement:
    async def measure() -> None:
        backlog = await outbox.backlog(engine)
        OUTBOX_BACKLOG.labels(*labels).set(backlog.events)
        oldest = backlog.oldest_created_at
        OUTBOX_OLDEST_AGE.labels(*labels).set(0 if oldest is None else (now() - oldest).total_seconds())

    return measure


def consumers_measurement(
    js: JetStreamContext, consumers: Sequence[ConsumerRef], labels: Sequence[str]
) -> Measurement:
    async def measure() -> None:
        for consumer in consumers:
            info = await js.consumer_info(consumer.stream, consumer.durable)
            consumer_labels = (*labels, consumer.stream, consumer.durable)
            CONSUMER_PENDING.labels(*consumer_labels).set(info.num_pending or 0)
            CONSUMER_ACK_PENDING.labels(*consumer_labels).set(info.num_ack_pending or 0)
            CONSUMER_REDELIVERED.labels(*consumer_labels).set(info.num_redelivered or 0)

    return measure


def sync_measurement(client: Callable[[], Client], identity: StackIdentity) -> Measurement:
    """Per child: messages behind and reachability, from the same ack floors as `sunshine-sync-status`."""

    async def measure() -> None:
        status = await sync_status(client(), identity)
        for child in status.children:
            SYNC_REACHABLE.labels(identity.division, child.division).set(1 if child.reachable else 0)
            SYNC_BEHIND.labels(identity.division, child.division).set(-1 if child.behind is None else child.behind)

    return measure

