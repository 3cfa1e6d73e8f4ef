"""The intake projection counts each ticket once, where it was accepted."""

from __future__ import annotations

from evaluation.service.intake import IntakeProjection
from sunshine.events.v1.hotline_pb2 import TicketAccepted
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
