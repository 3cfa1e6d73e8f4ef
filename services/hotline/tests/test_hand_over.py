"""The hand-over use case: a handed-down ticket handed over to disclosure answers its origin."""

from __future__ import annotations

import copy
from collections.abc import Iterable

from google.protobuf.message import Message
from hotline.adapters.disclosure_client import SubmittedRequest
from hotline.domain.cross_level import answered_below, received
from hotline.domain.disclosure_routing import Application, Consent
from hotline.domain.ticket import Ticket
from hotline.domain.vocabulary import TicketState
from hotline.service.hand_over import HandOverService
from sunshine.dispatch.v1 import hotline_pb2 as down
from sunshine_kit.auth import Principal, Role

from .builders import CHILD, T0, ticket_in

NUMBER = "YSQ2026030200001"


class _UnitOfWork:
    def __init__(self, ticket: Ticket) -> None:
        self.stored = ticket
        self.tickets = self
        self.replied: list[Message] = []

    async def __aenter__(self) -> _UnitOfWork:
        return self

    async def __aexit__(self, *exc: object) -> None:
        return None

    async def get(self, ticket_id: str, for_update: bool = False) -> Ticket | None:
        return copy.deepcopy(self.stored) if ticket_id == self.stored.id else None

    async def save(self, ticket: Ticket, known_history: int) -> None:
        self.stored = ticket

    async def publish(self, payloads: Iterable[Message]) -> None:
        return None

    async def reply(self, payloads: Iterable[Message]) -> None:
        self.replied.extend(payloads)

    async def commit(self) -> None:
        return None


class _Disclosure:
    async def submit_request(self, request: Application, credentials: tuple[tuple[str, str], ...]) -> SubmittedRequest:
        return SubmittedRequest(NUMBER, "secret")


async def test_a_handed_down_call_handed_over_to_disclosure_tells_the_origin_the_request_number() -> None:
    origin = ticket_in(TicketState.HANDED_DOWN)
    [(_, work)] = origin.handed_down
    child = received(work, T0, "2026030200000777")
    uow = _UnitOfWork(child)
    service = HandOverService(lambda: uow, _Disclosure(), CHILD.child_division, lambda: T0)  # type: ignore[arg-type, return-value]
    operator = Principal("op-7", frozenset({Role.HOTLINE_OPERATOR}), CHILD.child_division)
    await service.hand_over(operator, (), child.id, Consent(True))
    assert uow.stored.state is TicketState.CLOSED
    [reply] = uow.replied
    assert isinstance(reply, down.HandedDownTicketClosed)
    assert (reply.origin_division, reply.origin_ticket_id) == (CHILD.origin_division, origin.id)
    assert NUMBER in reply.answer and not reply.direct_answer
    # At the origin, the answer is there for the callback.
    assert answered_below(origin, reply, CHILD.child_division)
    assert NUMBER in origin.answer and origin.history[-1].action == "below_replied"


async def test_a_local_call_handed_over_replies_to_no_one() -> None:
    ticket = ticket_in(TicketState.ACCEPTED, place_division=CHILD.child_division)
    uow = _UnitOfWork(ticket)
    service = HandOverService(lambda: uow, _Disclosure(), CHILD.child_division, lambda: T0)  # type: ignore[arg-type, return-value]
    operator = Principal("op-7", frozenset({Role.HOTLINE_OPERATOR}), CHILD.child_division)
    await service.hand_over(operator, (), ticket.id, Consent(True))
    assert uow.stored.state is TicketState.CLOSED and uow.replied == []
