from hotline.adapters.tables import metadata
from sunshine_kit.migrations import run_migrations

run_migrations(metadata)
