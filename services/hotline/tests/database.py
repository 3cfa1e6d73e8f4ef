"""The hotline's tables on an in-memory SQLite database, for use cases that take a session."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from hotline.adapters.personal_data import PersonalDataCipher
from hotline.adapters.tables import metadata
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker, create_async_engine

CIPHER = PersonalDataCipher(os.urandom(32))


@asynccontextmanager
async def hotline_sessions() -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    engine = create_async_engine("sqlite+aiosqlite://")
    async with engine.begin() as connection:
        await connection.run_sync(metadata.create_all)
    try:
        yield async_sessionmaker(engine, expire_on_commit=False)
    finally:
        await engine.dispose()
