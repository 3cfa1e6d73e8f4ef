"""The kit's metrics: per-method gRPC counts through a real server, the outbox backlog on SQLite and PostgreSQL,
consumer backlogs from a real nats-server, the sampler's resilience and the /metrics endpoint itself."""

from __future__ import annotations

import logging
import urllib.request
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import grpc
import pytest
from google.protobuf.wrappers_pb2 import StringValue
from grpc_health.v1 import health_pb2, health_pb2_grpc
from nats.js import JetStreamContext
from prometheus_client import REGISTRY, Gauge
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import MetaData
from sqlalchemy.ext.asyncio import AsyncEngine
from sunshine_kit.auth.settings import AuthSettings
from sunshine_kit.db import session_factory
from sunshine_kit.envelope import new_event
from sunshine_kit.identity import Level, StackIdentity
from sunshine_kit.jetstream import durable_pull_consumer, ensure_stream, event_stream_config, publish_event
from sunshine_kit.metrics import (
    ConsumerRef,
    MetricsEndpoint,
    Sampler,
    consumers_measurement,
    outbox_measurement,
)
from sunshine_kit.outbox import Outbox, outbox_table
from sunshine_kit.rpc.metrics import RpcMetricsInterceptor
from sunshine_kit.rpc.server import GrpcServer

HEALTH = "grpc.health.v1.Health"


def a_division() -> str:
    """A division of this test alone, so counters of other tests in the same process do not mix in."""
    return f"51{uuid.uuid4().int % 10**7:07d}"


def sample(name: str, **labels: str) -> float | None:
    return REGISTRY.get_sample_value(name, labels)


async def test_each_grpc_call_is_counted_by_method_and_code_and_timed(tmp_path: Path) -> None:
    division = a_division()
    verifier = AuthSettings(mode="dev", dev_key_file=tmp_path / "dev.pem").caller_verifier(division, tmp_path)
    server = GrpcServer("127.0.0.1:0", [], verifier, [RpcMetricsInterceptor(division, "hotline")])
    await server.start()
    await server.set_serving(True)
    try:
        async with grpc.aio.insecure_channel(f"127.0.0.1:{server.port}") as channel:
            health = health_pb2_grpc.HealthStub(channel)
            for _ in range(3):
                await health.Check(health_pb2.HealthCheckRequest(service=""))
            with pytest.raises(grpc.aio.AioRpcError):
                await health.Check(health_pb2.HealthCheckRequest(service="no.such.Service"))
    finally:
        await server.stop(0)

    method = {"division": division, "service": "hotline", "grpc_service": HEALTH, "grpc_method": "Check"}
    assert sample("sunshine_grpc_server_handled_total", **method, grpc_code="OK") == 3
    assert sample("sunshine_grpc_server_handled_total", **method, grpc_code="NOT_FOUND") == 1
    assert sample("sunshine_grpc_server_handling_seconds_count", **method) == 4
    assert sample("sunshine_grpc_server_handling_seconds_sum", **method) > 0


async def test_the_outbox_backlog_counts_unsent_events_and_ages_the_oldest(db_engine: AsyncEngine) -> None:
    metadata = MetaData()
    outbox = Outbox(outbox_table(metadata))
    async with db_engine.begin() as connection:
        await connection.run_sync(metadata.create_all)
    division = a_division()
    identity = StackIdentity(Level.COUNTY, "510117", "测试县")
    labels = (division, "hotline")
    measure = outbox_measurement(outbox, db_engine, labels, lambda: datetime.now(UTC) + timedelta(hours=1))

    await measure()
    assert sample("sunshine_outbox_backlog_events", division=division, service="hotline") == 0
    assert sample("sunshine_outbox_oldest_unsent_age_seconds", division=division, service="hotline") == 0

    async with session_factory(db_engine)() as session, session.begin():
        for n in range(3):
            await outbox.add(session, new_event(identity, "hotline", "ticket", "accepted", StringValue(value=str(n))))
    await measure()

    assert sample("sunshine_outbox_backlog_events", division=division, service="hotline") == 3
    # The injected clock is an hour ahead of the rows' creation.
    age = sample("sunshine_outbox_oldest_unsent_age_seconds", division=division, service="hotline")
    assert age is not None and 3590 < age <= 3600 + 60


async def test_consumer_backlogs_come_from_jetstream(js: JetStreamContext) -> None:
    identity = StackIdentity(Level.COUNTY, "510117", "测试县")
    await ensure_stream(js, event_stream_config(identity))
    subscription = await durable_pull_consumer(js, "evaluation-intake", "sunshine.510117.hotline.>")
    for n in range(5):
        event = new_event(identity, "hotline", "ticket", "accepted", StringValue(value=str(n)))
        await publish_event(js, event, {})
    delivered = await subscription.fetch(2, timeout=5)
    division = a_division()
    labels = {"division": division, "service": "evaluation", "stream": "EVENTS", "consumer": "evaluation-intake"}

    await consumers_measurement(js, [ConsumerRef("EVENTS", "evaluation-intake")], (division, "evaluation"))()

    assert len(delivered) == 2
    assert sample("sunshine_consumer_pending_messages", **labels) == 3
    assert sample("sunshine_consumer_ack_pending_messages", **labels) == 2
    assert sample("sunshine_consumer_redelivered_messages", **labels) == 0


async def test_a_failing_measurement_is_logged_and_the_others_still_run(caplog: pytest.LogCaptureFixture) -> None:
    division = a_division()
    gauge = Gauge(f"test_gauge_{division}", "a gauge of this test", ["division"])
    sampler = Sampler(interval_s=60)

    async def broken() -> None:
        raise ConnectionRefusedError("database away")

    async def working() -> None:
        gauge.labels(division).set(7)

    sampler.add("broken", broken)
    sampler.add("working", working)
    with caplog.at_level(logging.WARNING, logger="sunshine_kit.metrics"):
        await sampler.sample_once()

    assert sample(f"test_gauge_{division}", division=division) == 7
    assert "cannot measure broken" in caplog.text and "database away" in caplog.text


def test_the_endpoint_serves_the_registry_in_the_prometheus_text_format() -> None:
    division = a_division()
    gauge = Gauge(f"test_endpoint_gauge_{division}", "a gauge of this test", ["division"])
    gauge.labels(division).set(42)
    endpoint = MetricsEndpoint("127.0.0.1:0")
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{endpoint.port}/metrics", timeout=5) as response:
            text = response.read().decode()
    finally:
        endpoint.close()

    families = {family.name: family for family in text_string_to_metric_families(text)}
    assert families[f"test_endpoint_gauge_{division}"].samples[0].value == 42
    assert families["process_resident_memory_bytes"].samples[0].value > 0


def test_a_busy_port_is_logged_and_serves_nothing(caplog: pytest.LogCaptureFixture) -> None:
    first = MetricsEndpoint("127.0.0.1:0")
    try:
        with caplog.at_level(logging.ERROR, logger="sunshine_kit.metrics"):
            second = MetricsEndpoint.serve(f"127.0.0.1:{first.port}")
    finally:
        first.close()

    assert second is None
    assert f"metrics endpoint not started on 127.0.0.1:{first.port}" in caplog.text
