"""The hotline's consumers of the level streams: work handed down from the parent and the parent's later actions
on it (DISPATCH_INBOX), the children's progress on tickets handed down to them (ROLLUP) and their replies
(REPLY_INBOX)."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from google.protobuf.message import Message
from sqlalchemy.ext.asyncio import AsyncSession
from sunshine.dispatch.v1 import hotline_pb2 as down
from sunshine.events.v1 import hotline_pb2 as ev
from sunshine.events.v1.envelope_pb2 import Envelope
from sunshine_kit import levels
from sunshine_kit.envelope import unpack
from sunshine_kit.runtime import Handler, ServiceRuntime
from sunshine_kit.timestamps import from_timestamp

from hotline.domain.cross_level import Progress
from hotline.domain.vocabulary import TicketState as S
from hotline.service.cross_level import CrossLevel

log = logging.getLogger(__name__)
HANDED_DOWN = "hotline-handed-down"
BELOW = "hotline-below"
REPLIES = "hotline-replies"
# A use case taking the unpacked message (and, for replies, the child stack that sent it).
Use = Callable[..., Awaitable[Any]]
# The child's events the origin follows, and the child's state each leaves its ticket in. An approved review
# is followed by TicketClosed; a rejected one sends the ticket back to 办理.
FOLLOWED = {
    ev.TicketAccepted: S.ACCEPTED,
    ev.TicketDispatched: S.DISPATCHED,
    ev.TicketSigned: S.SIGNED,
    ev.TicketReturned: S.RETURNED,
    ev.TicketHandlingStarted: S.HANDLING,
    ev.TicketAnswered: S.ANSWERED,
    ev.TicketReviewed: S.HANDLING,
    ev.TicketClosed: S.CLOSED,
}
BY_TYPE = {message.DESCRIPTOR.full_name: message for message in FOLLOWED}


def register(runtime: ServiceRuntime, cross_level: CrossLevel) -> None:
    identity = runtime.identity
    if identity.parent_division:
        work = levels.dispatch_subject(identity.parent_division, identity.division, "hotline.>")
        runtime.add_consumer(HANDED_DOWN, work, _receiver(cross_level), stream=levels.DISPATCH_INBOX)
    if identity.children:
        runtime.add_consumer(BELOW, "sunshine.*.hotline.>", _follower(cross_level), stream=levels.ROLLUP)
        replies = levels.reply_subject("*", identity.division, "hotline.>")
        runtime.add_consumer(REPLIES, replies, _reply_reader(cross_level), stream=levels.REPLY_INBOX)


def progress_of(envelope: Envelope) -> Progress | None:
    """The step a child's event reports on a handed-down ticket; None for other events and tickets."""
    message_type = BY_TYPE.get(envelope.type)
    if message_type is None:
        return None
    event = unpack(envelope, message_type)
    if not event.origin_ticket_id or (isinstance(event, ev.TicketReviewed) and event.approved):
        return None
    unit = event.lead_unit if isinstance(event, ev.TicketDispatched) else getattr(event, "unit", "")
    at = from_timestamp(envelope.occurred_at)
    return Progress(event.origin_division, event.origin_ticket_id, envelope.division, FOLLOWED[message_type], unit, at)


def _receiver(cross_level: CrossLevel) -> Handler:
    """The work, and the origin's 催办/督办, 重办 and recounted due time on it; an action that overtakes its work
    fails and is delivered again (service/cross_level.py WorkNotReceivedYet)."""
    uses: dict[type[Message], Use] = {
        down.TicketHandedDown: cross_level.receive,
        down.HandedDownTicketUrged: cross_level.pressed,
        down.HandedDownTicketReopened: cross_level.reopened,
        down.HandedDownTicketDueRecomputed: cross_level.due_recomputed,
    }

    async def receive(session: AsyncSession, envelope: Envelope) -> None:
        await _use(uses, session, envelope)

    return receive


def _reply_reader(cross_level: CrossLevel) -> Handler:
    """A child's answer to a ticket handed down to it, or its refusal of an action sent down."""
    uses: dict[type[Message], Use] = {
        down.HandedDownTicketClosed: cross_level.answered,
        down.HandedDownActionRefused: cross_level.refused,
    }

    async def read(session: AsyncSession, envelope: Envelope) -> None:
        await _use(uses, session, envelope, envelope.division)

    return read


async def _use(uses: dict[type[Message], Use], session: AsyncSession, envelope: Envelope, *sender: str) -> None:
    for message_type, use in uses.items():
        if envelope.type == message_type.DESCRIPTOR.full_name:
            await use(session, unpack(envelope, message_type), *sender)
            return
    log.warning("no use for %s (%s) here; skipped", envelope.type, envelope.id)


def _follower(cross_level: CrossLevel) -> Handler:
    async def follow(session: AsyncSession, envelope: Envelope) -> None:
        progress = progress_of(envelope)
        if progress is not None:
            await cross_level.follow(session, progress)

    return follow
