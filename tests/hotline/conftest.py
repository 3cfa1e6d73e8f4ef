"""A whole stack in the test process, with the hotline on SQLite or on its own PostgreSQL database."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
import pytest_asyncio
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine
from sunshine_kit.auth.principal import Role
from sunshine_kit.testing.plugin import _usable_postgres_url

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
    async with in_process_stack(nats_url, tmp_path, monkeypatch) as running:
        yield running


def as_staff(stack: InProcessStack, subject: str, role: Role, division: str = "510100") -> dict[str, str]:
    token = stack.issuer.issue(subject, [role], division, timedelta(minutes=5))
    return {"Authorization": f"Bearer {token}"}
