"""Each service's migrations build exactly the schema its tables describe, on SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from disclosure.adapters.tables import metadata as disclosure_metadata
from disclosure.main import MIGRATIONS as DISCLOSURE_MIGRATIONS
from evaluation.adapters.tables import metadata as evaluation_metadata
from evaluation.main import MIGRATIONS as EVALUATION_MIGRATIONS
from hotline.adapters.tables import metadata as hotline_metadata
from hotline.main import MIGRATIONS as HOTLINE_MIGRATIONS
from sqlalchemy import MetaData
from sunshine_kit.migrations import upgrade_to_head

SERVICES = {
    "disclosure": (disclosure_metadata, DISCLOSURE_MIGRATIONS),
    "hotline": (hotline_metadata, HOTLINE_MIGRATIONS),
    "evaluation": (evaluation_metadata, EVALUATION_MIGRATIONS),
}


@pytest.mark.parametrize("service", SERVICES)
async def test_migrations_match_the_tables(service: str, db_engine) -> None:  # type: ignore[no-untyped-def]
    metadata, migrations = SERVICES[service]
    await upgrade_to_head(db_engine, Path(migrations))
    async with db_engine.connect() as connection:
        differences = await connection.run_sync(_differences, metadata)
    assert differences == []


def _differences(connection, metadata: MetaData) -> list:  # type: ignore[no-untyped-def]
    context = MigrationContext.configure(connection, opts={"compare_type": False})
    return compare_metadata(context, metadata)
