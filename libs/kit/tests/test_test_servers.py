"""Which PostgreSQL and NATS the tests use: a given URL, a pre-started server, or a testcontainers container where
Docker answers. Docker does not run on CI's machines, so the choice is tested with recorded probes."""

from __future__ import annotations

from pathlib import Path

import pytest
from sunshine_kit.testing.containers import choose_nats, choose_postgres, docker_answers
from sunshine_kit.testing.databases import DEFAULT_POSTGRES_URL

CONTAINER_POSTGRES = "postgresql+asyncpg://postgres:test@localhost:49153/test"
CONTAINER_NATS = "nats://localhost:49154"


class RecordingContainers:
    def __init__(self) -> None:
        self.started: list[str] = []

    def postgres_url(self) -> str:
        self.started.append("postgres")
        return CONTAINER_POSTGRES

    def nats_url(self) -> str:
        self.started.append("nats")
        return CONTAINER_NATS


def answering(*urls: str):  # type: ignore[no-untyped-def]
    """A probe for which exactly `urls` answer, recording what it was asked."""
    asked: list[str] = []

    async def answers(url: str) -> str | None:
        asked.append(url)
        return None if url in urls else "ConnectionRefusedError"

    answers.asked = asked  # type: ignore[attr-defined]
    return answers


def docker(available: bool):  # type: ignore[no-untyped-def]
    def ping() -> bool:
        ping.asked = True  # type: ignore[attr-defined]
        return available

    ping.asked = False  # type: ignore[attr-defined]
    return ping


async def test_a_given_url_is_used_whatever_else_exists() -> None:
    given, containers, ping = "postgresql+asyncpg://me@db.example:5432/t", RecordingContainers(), docker(True)

    choice = await choose_postgres(given, answering(given), ping, containers)

    assert (choice.url, choice.problem) == (given, None)
    assert containers.started == [] and not ping.asked


async def test_a_given_url_that_does_not_answer_is_reported_not_replaced() -> None:
    containers = RecordingContainers()

    choice = await choose_postgres("postgresql+asyncpg://me@nowhere/t", answering(), docker(True), containers)

    assert choice.problem == "ConnectionRefusedError" and containers.started == []


async def test_a_pre_started_server_at_the_default_url_comes_before_docker() -> None:
    containers, ping = RecordingContainers(), docker(True)

    choice = await choose_postgres(None, answering(DEFAULT_POSTGRES_URL), ping, containers)

    assert (choice.url, choice.problem) == (DEFAULT_POSTGRES_URL, None)
    assert containers.started == [] and not ping.asked


async def test_without_a_server_docker_starts_one() -> None:
    containers, probe = RecordingContainers(), answering(CONTAINER_POSTGRES)

    choice = await choose_postgres(None, probe, docker(True), containers)

    assert (choice.url, choice.problem) == (CONTAINER_POSTGRES, None)
    assert "testcontainers" in choice.source
    assert containers.started == ["postgres"] and probe.asked == [DEFAULT_POSTGRES_URL, CONTAINER_POSTGRES]


async def test_without_a_server_or_docker_the_problem_says_both() -> None:
    containers = RecordingContainers()

    choice = await choose_postgres(None, answering(), docker(False), containers)

    assert choice.problem == "ConnectionRefusedError; and Docker does not answer" and containers.started == []


def test_nats_given_then_own_process_then_container() -> None:
    containers = RecordingContainers()

    assert choose_nats("nats://10.0.0.5:4222", False, docker(True), containers) == "nats://10.0.0.5:4222"
    assert choose_nats(None, True, docker(True), containers) is None
    assert containers.started == []
    assert choose_nats(None, False, docker(True), containers) == CONTAINER_NATS
    assert containers.started == ["nats"]
    with pytest.raises(LookupError, match="Docker does not answer"):
        choose_nats(None, False, docker(False), containers)


def test_docker_does_not_answer_without_a_daemon(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("DOCKER_HOST", f"unix://{tmp_path / 'no-docker.sock'}")

    assert docker_answers() is False
