"""Pytest fixtures shared by every suite (registered in the root conftest.py with `pytest_plugins`).

- `nats_server`: a fresh nats-server with JetStream for this test, on a free port with a temp store; it can
  be `kill()`ed and `start()`ed again on the same port and store.
- `nats_url` / `nats_client` / `js`: that server, or the one at SUNSHINE_TEST_NATS_URL when set (its streams
  are deleted before each test), or without a nats-server binary a NATS container (`containers`).
- `database` / `db_engine`: parametrized over SQLite (a temp file) and PostgreSQL (a fresh schema in the
  PostgreSQL `containers.choose_postgres` picks: SUNSHINE_TEST_POSTGRES_URL, the server at the default URL, or a
  container where Docker answers; dropped afterwards). No usable PostgreSQL skips, or fails when
  SUNSHINE_REQUIRE_POSTGRES=1.
- `span_exporter`: an in-memory OpenTelemetry exporter installed as the global tracer provider.

Tests using these are marked `nats` / `postgres` automatically.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
import pytest_asyncio
from nats.aio.client import Client as NATS
from nats.js import JetStreamContext
from opentelemetry import trace
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from sqlalchemy.ext.asyncio import AsyncEngine

from sunshine_kit.jetstream import connect
from sunshine_kit.testing.containers import (
    PostgresChoice,
    SessionContainers,
    choose_nats,
    choose_postgres,
    docker_answers,
)
from sunshine_kit.testing.databases import IsolatedDatabase, postgres_answers
from sunshine_kit.testing.nats_server import NatsServer, nats_server_binary

NATS_FIXTURES = {"nats_server", "nats_url", "nats_client", "js"}
_containers = SessionContainers()
_postgres: list[PostgresChoice] = []  # chosen once per session


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if NATS_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.nats)


def pytest_sessionfinish() -> None:
    _containers.stop()


def external_nats_url() -> str | None:
    return os.environ.get("SUNSHINE_TEST_NATS_URL") or None


@pytest.fixture
def nats_server(tmp_path: Path) -> Iterator[NatsServer]:
    if nats_server_binary() is None:
        pytest.skip("this test runs (and may kill) its own nats-server, and there is no nats-server binary")
    server = NatsServer(tmp_path / "nats")
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest_asyncio.fixture
async def nats_url(request: pytest.FixtureRequest) -> str:
    try:
        url = choose_nats(external_nats_url(), nats_server_binary() is not None, docker_answers, _containers)
    except LookupError as error:
        pytest.skip(f"no NATS server for this test: {error}")
    if url is None:
        return request.getfixturevalue("nats_server").url
    await _delete_streams(url)
    return url


async def _delete_streams(url: str) -> None:
    client = await connected(url, "sunshine-test-cleanup")
    try:
        js = client.jetstream()
        for info in await js.streams_info():
            await js.delete_stream(info.config.name)
    finally:
        await client.close()


@pytest_asyncio.fixture
async def nats_client(nats_url: str) -> AsyncIterator[NATS]:
    client = await connected(nats_url, "sunshine-test")
    try:
        yield client
    finally:
        await client.close()


async def connected(url: str, name: str) -> NATS:
    """`connect` retries forever; a test should fail instead."""
    try:
        return await asyncio.wait_for(connect(url, name), 30)
    except TimeoutError:
        pytest.fail(f"no NATS server answers at {url}", pytrace=False)


@pytest.fixture
def js(nats_client: NATS) -> JetStreamContext:
    return nats_client.jetstream()


@pytest_asyncio.fixture(
    params=[pytest.param("sqlite", id="sqlite"), pytest.param("postgres", id="postgres", marks=pytest.mark.postgres)]
)
async def database(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[IsolatedDatabase]:
    if request.param == "sqlite":
        yield IsolatedDatabase(f"sqlite+aiosqlite:///{tmp_path / 'test.db'}")
        return
    database = await IsolatedDatabase.new_postgres_schema(await _usable_postgres_url())
    try:
        yield database
    finally:
        await database.drop()


async def _usable_postgres_url() -> str:
    if not _postgres:
        given = os.environ.get("SUNSHINE_TEST_POSTGRES_URL") or None
        _postgres.append(await choose_postgres(given, postgres_answers, docker_answers, _containers))
    url, problem = _postgres[0].url, _postgres[0].problem
    if problem is not None:
        message = f"PostgreSQL at {url} is not usable ({problem}); set SUNSHINE_TEST_POSTGRES_URL"
        if os.environ.get("SUNSHINE_REQUIRE_POSTGRES") == "1":
            pytest.fail(f"SUNSHINE_REQUIRE_POSTGRES=1 but {message}", pytrace=False)
        pytest.skip(message)
    return url


@pytest_asyncio.fixture
async def db_engine(database: IsolatedDatabase) -> AsyncIterator[AsyncEngine]:
    engine = database.create_engine()
    try:
        yield engine
    finally:
        await engine.dispose()


@pytest.fixture
def span_exporter() -> Iterator[InMemorySpanExporter]:
    """Receives every span of the test: installed as the global tracer provider, reset afterwards."""
    from opentelemetry.test.globals_test import reset_trace_globals  # opentelemetry-test-utils (dev)

    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    reset_trace_globals()
    trace.set_tracer_provider(provider)
    try:
        yield exporter
    finally:
        provider.shutdown()
        reset_trace_globals()
