"""One database transaction holding a service's state change, the events it produced and, when it runs in an
API call, the audit entries that say who did it (sunshine_kit.audit)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from types import TracebackType

from google.protobuf.message import Message
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from sunshine_kit.audit import AuditTrail, current_call, record_of
from sunshine_kit.envelope import event_for
from sunshine_kit.identity import StackIdentity
from sunshine_kit.levels import addressed_to, replied_to
from sunshine_kit.outbox import Outbox


class UnitOfWork:
    """`async with uow:` opens a transaction; `publish` queues events in the outbox of the same transaction;
    `commit` makes both durable at once and then wakes the relay. Leaving without commit rolls back.

    Within an API call (`audit.current_call()`), `commit` also appends the audit entries of the transaction: one
    per event queued (the event's name and the record its first field names), each read recorded with
    `audited_read`, or else one naming the call — so no change of a call commits without its entry."""

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        outbox: Outbox,
        audit: AuditTrail,
        identity: StackIdentity,
        producer: str,
        on_commit: Callable[[], None],
    ) -> None:
        self._sessions = sessions
        self._outbox = outbox
        self._audit = audit
        self._identity = identity
        self._producer = producer
        self._on_commit = on_commit

    async def __aenter__(self) -> UnitOfWork:
        self.session = self._sessions()
        self._audited: list[tuple[str, str]] = []
        await self.session.begin()
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.session.rollback()
        await self.session.close()

    async def publish(self, payloads: Iterable[Message]) -> None:
        await queue_events(self._outbox, self.session, self._identity, self._producer, self._audited_events(payloads))

    async def dispatch(self, child: str, payloads: Iterable[Message]) -> None:
        """Queue work for one child stack: published on sunshine.<division>.dispatch.<child>.…, it reaches only
        that child's DISPATCH_INBOX and never travels upward, so it may carry what the handling unit needs."""
        payloads = self._audited_events(payloads)
        await queue_dispatch(self._outbox, self.session, self._identity, self._producer, child, payloads)

    async def reply(self, payloads: Iterable[Message]) -> None:
        """Queue replies to the parent stack: published on sunshine.<division>.reply.<parent>.…, they reach only
        the parent's REPLY_INBOX and go no further up, so they may carry what the parent needs (an answer's
        text)."""
        await queue_replies(self._outbox, self.session, self._identity, self._producer, self._audited_events(payloads))

    def audited_read(self, what: str, record: str) -> None:
        """Record, at commit, that the caller read `what` (unmasked personal data) of `record`."""
        self._audited.append((f"read:{what}", record))

    async def commit(self) -> None:
        call = current_call()
        if call is not None:
            await self._audit.append(self.session, call, self._audited or [(call.name, "")])
        await self.session.commit()
        self._on_commit()

    def _audited_events(self, payloads: Iterable[Message]) -> list[Message]:
        payloads = list(payloads)
        self._audited += [(p.DESCRIPTOR.name, record_of(p)) for p in payloads]
        return payloads


async def queue_events(
    outbox: Outbox, session: AsyncSession, identity: StackIdentity, producer: str, payloads: Iterable[Message]
) -> None:
    """Upward events into the outbox, within the caller's transaction."""
    for payload in payloads:
        await outbox.add(session, event_for(identity, producer, payload))


async def queue_dispatch(
    outbox: Outbox,
    session: AsyncSession,
    identity: StackIdentity,
    producer: str,
    child: str,
    payloads: Iterable[Message],
) -> None:
    """Work for one child stack into the outbox, within the caller's transaction."""
    for payload in payloads:
        await outbox.add(session, addressed_to(child, event_for(identity, producer, payload)))


async def queue_replies(
    outbox: Outbox, session: AsyncSession, identity: StackIdentity, producer: str, payloads: Iterable[Message]
) -> None:
    """Replies to the parent stack into the outbox, within the caller's transaction."""
    for payload in payloads:
        if identity.parent_division is None:
            raise ValueError(f"stack {identity.division} has no parent to reply to")
        await outbox.add(session, replied_to(identity.parent_division, event_for(identity, producer, payload)))
