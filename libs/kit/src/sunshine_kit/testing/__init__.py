"""Test support shared by every suite: real nats-servers and isolated SQLite/PostgreSQL databases.

The pytest fixtures are in `sunshine_kit.testing.plugin` (registered by the root conftest.py); the modules
here import no pytest, so tools (localstack, bench) can use `NatsServer` too.
"""

from sunshine_kit.testing.databases import IsolatedDatabase
from sunshine_kit.testing.nats_server import NatsServer, free_port, nats_server_binary
from sunshine_kit.testing.streams import stored_messages
from sunshine_kit.testing.waiting import wait_until

__all__ = ["IsolatedDatabase", "NatsServer", "free_port", "nats_server_binary", "stored_messages", "wait_until"]
