"""A whole stack in this process whose disclosure database is SQLite or PostgreSQL (the `database` fixture)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine
from sunshine_kit.testing.databases import IsolatedDatabase

from tests.stack_in_process import InProcessStack, in_process_stack


@pytest.fixture
async def stack(nats_url, database, tmp_path, monkeypatch) -> AsyncIterator[InProcessStack]:  # type: ignore[no-untyped-def]
    async with _OwnDatabase(database) as url:
        monkeypatch.setenv("SUNSHINE_DISCLOSURE_DATABASE_URL", url)
        async with in_process_stack(nats_url, tmp_path, monkeypatch) as running:
            yield running


class _OwnDatabase:
    """The runtime's engine takes a bare URL (no search_path), so on PostgreSQL the test gets a database of its
    own, named after the fixture's fresh schema, and drops it afterwards."""

    def __init__(self, database: IsolatedDatabase) -> None:
        self._database = database
        self._name = database.schema

    async def __aenter__(self) -> str:
        if self._name is None:
            return self._database.url
        await _admin(self._database.url, f'CREATE DATABASE "{self._name}"')
        return make_url(self._database.url).set(database=self._name).render_as_string(hide_password=False)

    async def __aexit__(self, *_: object) -> None:
        if self._name is not None:
            await _admin(self._database.url, f'DROP DATABASE "{self._name}" WITH (FORCE)')


async def _admin(url: str, statement: str) -> None:
    engine = create_async_engine(url, isolation_level="AUTOCOMMIT")
    try:
        async with engine.connect() as connection:
            await connection.execute(text(statement))
    finally:
        await engine.dispose()
