"""A database of one's own: a SQLite file, or a fresh schema in a PostgreSQL database."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import pool, text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from sunshine_kit.db import create_engine

DEFAULT_POSTGRES_URL = "postgresql+asyncpg://postgres@127.0.0.1:5432/test"


@dataclass(frozen=True)
class IsolatedDatabase:
    """A database URL, plus for PostgreSQL the schema every connection uses as its search_path."""

    url: str
    schema: str | None = None

    @property
    def backend(self) -> str:
        return make_url(self.url).get_backend_name()

    def create_engine(self) -> AsyncEngine:
        if self.schema is None:
            return create_engine(self.url)
        return create_async_engine(
            self.url, pool_pre_ping=True, connect_args={"server_settings": {"search_path": self.schema}}
        )

    @classmethod
    async def new_postgres_schema(cls, url: str) -> IsolatedDatabase:
        schema = f"test_{uuid.uuid4().hex[:16]}"
        await _execute(url, f'CREATE SCHEMA "{schema}"')
        return cls(url, schema)

    async def drop(self) -> None:
        if self.schema is not None:
            await _execute(self.url, f'DROP SCHEMA "{self.schema}" CASCADE')


async def postgres_answers(url: str) -> str | None:
    """None if the server accepts a connection, else why not."""
    try:
        await _execute(url, "SELECT 1")
    except Exception as error:  # unreachable, refused, auth, missing database: all mean "not usable"
        return f"{type(error).__name__}: {error}"
    return None


async def _execute(url: str, statement: str) -> None:
    engine = create_async_engine(url, poolclass=pool.NullPool, connect_args={"timeout": 5})
    try:
        async with engine.begin() as connection:
            await connection.execute(text(statement))
    finally:
        await engine.dispose()
