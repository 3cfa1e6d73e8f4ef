"""Alembic migrations per service: each service keeps its scripts in `<svc>/adapters/migrations/`.

A service's `env.py` is two lines: import its metadata and call `run_migrations(metadata)`.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command, context
from alembic.config import Config
from sqlalchemy import Connection, MetaData, pool
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.ext.asyncio import create_async_engine as _create


async def upgrade_to_head(engine: AsyncEngine, script_location: Path) -> None:
    async with engine.begin() as connection:
        await connection.run_sync(_upgrade, script_location)


def _upgrade(connection: Connection, script_location: Path) -> None:
    config = Config()
    config.set_main_option("script_location", str(script_location))
    config.attributes["connection"] = connection
    command.upgrade(config, "head")


def run_migrations(metadata: MetaData) -> None:
    """Body of a service's alembic env.py: online on the connection handed over, or on sqlalchemy.url."""
    connection = context.config.attributes.get("connection")
    if connection is not None:
        _run(connection, metadata)
        return
    import asyncio

    asyncio.run(_run_with_url(context.config.get_main_option("sqlalchemy.url"), metadata))


async def _run_with_url(url: str | None, metadata: MetaData) -> None:
    if not url:
        raise RuntimeError("set sqlalchemy.url (alembic -x) or pass a connection")
    engine = _create(url, poolclass=pool.NullPool)
    async with engine.begin() as connection:
        await connection.run_sync(_run, metadata)
    await engine.dispose()


def _run(connection: Connection, metadata: MetaData) -> None:
    context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()
