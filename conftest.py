"""Root conftest: the shared fixtures (real nats-server, SQLite/PostgreSQL databases) for every suite."""

pytest_plugins = ["sunshine_kit.testing.plugin"]
