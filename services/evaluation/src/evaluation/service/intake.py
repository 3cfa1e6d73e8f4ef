"""The intake projection: fed by hotline events, read by staff within their jurisdiction."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sunshine.events.v1.envelope_pb2 import Envelope
from sunshine.events.v1.hotline_pb2 import TicketAccepted
from sunshine_kit.auth import READS_BELOW, Principal, Role, contains, require_read
from sunshine_kit.envelope import unpack

from evaluation.adapters.intake_repository import IntakeRepository
from evaluation.domain.intake import IntakeCount

READERS = (Role.LEADER, Role.EVALUATOR, Role.HOTLINE_OPERATOR, Role.STACK_OPERATOR)


class IntakeProjection:
    def __init__(
        self, sessions: async_sessionmaker[AsyncSession], repository: Callable[[AsyncSession], IntakeRepository]
    ):
        self._sessions = sessions
        self._repository = repository

    async def on_ticket_accepted(self, session: AsyncSession, envelope: Envelope) -> None:
        """Runs inside the inbox's transaction: the count and the processed event id commit together."""
        accepted = unpack(envelope, TicketAccepted)
        if accepted.origin_ticket_id:
            return  # a ticket handed down from a parent stack: its intake is counted once, where it was accepted
        await self._repository(session).increment(envelope.division, accepted.category)

    async def counts(self, principal: Principal, division: str) -> list[IntakeCount]:
        """The division's counts, and the divisions' below it for a role that reads below."""
        division = division or principal.division
        granted = require_read(principal, division, *READERS)
        below = bool(granted & READS_BELOW)
        async with self._sessions() as session:
            counts = await self._repository(session).all()
        return [c for c in counts if c.division == division or (below and contains(division, c.division))]
