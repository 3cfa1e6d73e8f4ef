"""A whole stack in the test process, with the hotline on SQLite or on its own PostgreSQL database."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
import pytest_asyncio
from disclosure.main import build as build_disclosure
from hotline.main import build as build_hotline
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine
from sunshine_kit.auth.principal import Role
from sunshine_kit.testing.nats_server import free_port
from sunshine_kit.testing.plugin import _usable_postgres_url

from tests import stack_in_process
from tests.stack_in_process import InProcessStack, in_process_stack

API_KEY = "open311-test-key"


@pytest_asyncio.fixture(
    params=[pytest.param("sqlite", id="sqlite"), pytest.param("postgres", id="postgres", marks=pytest.mark.postgres)]
)
async def hotline_database_url(request: pytest.FixtureRequest, tmp_path) -> AsyncIterator[str]:  # type: ignore[no-untyped-def]
    """A fresh database for the hotline: the runtime builds its engine from a URL, so no schema search_path."""
    if request.param == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'hotline.db'}"
        return
    server = await _usable_postgres_url()
    name = f"hotline_{uuid.uuid4().hex[:12]}"
    admin = create_async_engine(server, isolation_level="AUTOCOMMIT")
    async with admin.connect() as connection:
        await connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield server.rsplit("/", 1)[0] + f"/{name}"
    finally:
        async with admin.connect() as connection:
            await connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        await admin.dispose()


@pytest_asyncio.fixture
async def stack(nats_url, tmp_path, monkeypatch, hotline_database_url) -> AsyncIterator[InProcessStack]:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("SUNSHINE_HOTLINE_DATABASE_URL", hotline_database_url)
    monkeypatch.setenv("SUNSHINE_OPEN311_API_KEYS", f"other-key,{API_KEY}")
    _disclosure_where_the_hotline_finds_it(monkeypatch)
    async with in_process_stack(nats_url, tmp_path, monkeypatch) as running:
        yield running


def _disclosure_where_the_hotline_finds_it(monkeypatch: pytest.MonkeyPatch) -> None:
    """The in-process stack binds every service to port 0, so a service cannot know another's port when it is
    built; the hotline calls the disclosure service, so both are built with one free port chosen here."""
    address = {"disclosure_grpc_addr": f"127.0.0.1:{free_port()}"}
    for name, build in (("disclosure", build_disclosure), ("hotline", build_hotline)):
        monkeypatch.setitem(
            stack_in_process.BUILDERS, name, lambda settings, build=build: build(settings.model_copy(update=address))
        )


def as_staff(stack: InProcessStack, subject: str, role: Role, division: str = "510100") -> dict[str, str]:
    token = stack.issuer.issue(subject, [role], division, timedelta(minutes=5))
    return {"Authorization": f"Bearer {token}"}
