"""Cross-level use cases on a database: the origin's actions may overtake the work they act on."""

from __future__ import annotations

from collections.abc import Iterable

import pytest
from google.protobuf.message import Message
from hotline.adapters.ticket_repository import TicketRepository
from hotline.domain.ticket import Origin
from hotline.service.cross_level import CrossLevel, WorkNotReceivedYet
from hotline.service.tickets import HotlineConfig
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sunshine.dispatch.v1 import hotline_pb2 as down
from sunshine_kit.identity import Level, StackIdentity
from sunshine_kit.timestamps import to_timestamp

from .builders import CHILD, LIMITS, T0
from .database import CIPHER

ORIGIN_TICKET = "origin-ticket-1"


class _Outlets:
    def __init__(self) -> None:
        self.replies: list[Message] = []

    async def publish_in(self, session: AsyncSession, payloads: Iterable[Message]) -> None:
        return None

    async def dispatch_in(self, session: AsyncSession, child: str, payloads: Iterable[Message]) -> None:
        return None

    async def reply_in(self, session: AsyncSession, payloads: Iterable[Message]) -> None:
        self.replies.extend(payloads)


def child_stack(outlets: _Outlets) -> CrossLevel:
    identity = StackIdentity(Level.COUNTY, CHILD.child_division, "锦江区", parent_division=CHILD.origin_division)
    config = HotlineConfig(identity, LIMITS, None, None, None)  # type: ignore[arg-type]
    return CrossLevel(config, CIPHER, outlets, lambda: T0)


def work() -> down.TicketHandedDown:
    return down.TicketHandedDown(
        origin_division=CHILD.origin_division,
        origin_ticket_id=ORIGIN_TICKET,
        origin_ticket_number="2026030200000001",
        category="COMPLAINT",
        topic="环境卫生",
        urgency="NORMAL",
        place_division="510104",
        address="锦江区春熙路 18 号",
        description="垃圾无人清运",
        due_at=to_timestamp(T0.replace(day=9)),
        handed_down_at=to_timestamp(T0),
    )


URGED = down.HandedDownTicketUrged(
    origin_division=CHILD.origin_division, origin_ticket_id=ORIGIN_TICKET, action="urge", actor="hotline_operator"
)
REOPENED = down.HandedDownTicketReopened(origin_division=CHILD.origin_division, origin_ticket_id=ORIGIN_TICKET)


@pytest.mark.parametrize(("use", "action"), [("pressed", URGED), ("reopened", REOPENED)])
async def test_an_action_that_overtakes_its_work_fails_and_is_taken_when_delivered_again(
    use: str, action: Message, sessions: async_sessionmaker[AsyncSession]
) -> None:
    outlets = _Outlets()
    stack = child_stack(outlets)
    with pytest.raises(WorkNotReceivedYet):  # the inbox commits nothing and delivers it again later
        async with sessions() as session, session.begin():
            await getattr(stack, use)(session, action)
    async with sessions() as session, session.begin():
        await stack.receive(session, work())
    async with sessions() as session, session.begin():
        await getattr(stack, use)(session, action)
    async with sessions() as session:
        ticket = await TicketRepository(session, CIPHER).by_origin(Origin(CHILD.origin_division, ORIGIN_TICKET))
    assert ticket is not None
    # The ticket just accepted cannot take the action: the origin hears so, with the state.
    [refusal] = outlets.replies
    assert isinstance(refusal, down.HandedDownActionRefused) and refusal.state == "ACCEPTED"
    assert refusal.origin_ticket_id == ORIGIN_TICKET
