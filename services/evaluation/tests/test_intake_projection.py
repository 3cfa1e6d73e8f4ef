"""The intake projection counts each ticket once, where it was accepted."""

from __future__ import annotations

import pytest
from evaluation.domain.intake import IntakeCount
from evaluation.service.intake import IntakeProjection
from sunshine.events.v1.hotline_pb2 import TicketAccepted
from sunshine_kit.auth import Principal, Role
from sunshine_kit.envelope import event_for
from sunshine_kit.identity import Level, StackIdentity

TOWNSHIP = StackIdentity(Level.TOWNSHIP, "510117101", "示例街道", parent_division="510117")


class CountingRepository:
    increments: list[tuple[str, str]] = []

    def __init__(self, _session: object) -> None:
        pass

    async def increment(self, division: str, category: str) -> None:
        CountingRepository.increments.append((division, category))


async def test_a_ticket_accepted_here_is_counted_and_a_handed_down_copy_is_not() -> None:
    CountingRepository.increments = []
    projection = IntakeProjection(sessions=None, repository=CountingRepository)  # type: ignore[arg-type]
    own = event_for(TOWNSHIP, "hotline", TicketAccepted(ticket_id="t1", category="COMPLAINT"))
    handed_down = event_for(
        TOWNSHIP,
        "hotline",
        TicketAccepted(ticket_id="t2", category="COMPLAINT", origin_division="510117", origin_ticket_id="c9"),
    )
    await projection.on_ticket_accepted(None, own.envelope)  # type: ignore[arg-type]
    await projection.on_ticket_accepted(None, handed_down.envelope)  # type: ignore[arg-type]
    assert CountingRepository.increments == [("510117101", "COMPLAINT")]


class StoredCounts:
    def __init__(self, _session: object) -> None:
        pass

    async def all(self) -> list[IntakeCount]:
        return [IntakeCount("510117", "COMPLAINT", 3), IntakeCount("510117101", "COMPLAINT", 2)]


class NoSessions:
    def __call__(self) -> NoSessions:
        return self

    async def __aenter__(self) -> None:
        return None

    async def __aexit__(self, *exc: object) -> None:
        return None


@pytest.mark.parametrize(
    ("roles", "divisions"),
    [
        ({Role.LEADER}, ["510117", "510117101"]),
        ({Role.HOTLINE_OPERATOR}, ["510117"]),
        ({Role.HOTLINE_OPERATOR, Role.LEADER}, ["510117", "510117101"]),
        ({Role.HOTLINE_OPERATOR, Role.STACK_OPERATOR}, ["510117", "510117101"]),
    ],
)
async def test_the_counts_below_go_only_to_a_role_that_reads_below(roles: set[Role], divisions: list[str]) -> None:
    projection = IntakeProjection(sessions=NoSessions(), repository=StoredCounts)  # type: ignore[arg-type]
    county = Principal("u1", frozenset(roles), "510117")
    assert [c.division for c in await projection.counts(county, "")] == divisions
