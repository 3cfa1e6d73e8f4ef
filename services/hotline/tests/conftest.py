"""Fixtures of the hotline's own tests."""

from __future__ import annotations

import pytest
from hotline.main import MIGRATIONS
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from sunshine_kit.db import session_factory
from sunshine_kit.migrations import upgrade_to_head


@pytest.fixture
async def sessions(db_engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    """The hotline's schema, migrated, on the kit's test database (SQLite and PostgreSQL)."""
    await upgrade_to_head(db_engine, MIGRATIONS)
    return session_factory(db_engine)
