"""Filling in the applicants of redirected requests: with the hotline's service token, once, and nothing lost
while the disclosure service is unavailable."""

from __future__ import annotations

import copy
from datetime import timedelta

from cryptography.hazmat.primitives.asymmetric import ec
from hotline.domain.caller import Caller
from hotline.domain.disclosure_routing import redirected
from hotline.domain.ticket import Ticket
from hotline.service.redirected import RedirectedApplicants
from sunshine.events.v1.disclosure_pb2 import DisclosureRequestRedirected
from sunshine_kit.auth.service_identity import ServiceCredentials, ServiceTokenIssuer
from sunshine_kit.errors import DependencyUnavailable, PermissionDenied

from .builders import LIMITS, T0

APPLICANT = Caller("王小红", "13987654321", "510104198805051234")


class _Tickets:
    def __init__(self, *tickets: Ticket) -> None:
        self.stored = {t.id: t for t in tickets}

    async def awaiting_applicant(self, limit: int) -> list[str]:
        return [t.id for t in self.stored.values() if t.disclosure_request_id and t.caller.is_anonymous][:limit]

    async def get(self, ticket_id: str, for_update: bool = False) -> Ticket | None:
        return copy.deepcopy(self.stored.get(ticket_id))

    async def save(self, ticket: Ticket, known_history: int) -> None:
        self.stored[ticket.id] = ticket


class _UnitOfWork:
    def __init__(self, tickets: _Tickets) -> None:
        self.tickets = tickets

    async def __aenter__(self) -> _UnitOfWork:
        return self

    async def __aexit__(self, *exc: object) -> None:
        return None

    async def commit(self) -> None:
        return None


class _Disclosure:
    def __init__(self) -> None:
        self.answers: dict[str, Caller | Exception] = {}
        self.tokens: list[str] = []

    async def redirected_applicant(self, request_id: str, metadata: tuple[tuple[str, str], ...]) -> Caller:
        self.tokens.append(dict(metadata)["authorization"])
        answer = self.answers[request_id]
        if isinstance(answer, Exception):
            raise answer
        return answer


def ticket_for(request_id: str) -> Ticket:
    event = DisclosureRequestRedirected(request_id=request_id, number=f"N-{request_id}", division="510104")
    return redirected(event, T0, f"2026030200000{request_id}", LIMITS, "其他")


def applicants(tickets: _Tickets, disclosure: _Disclosure) -> RedirectedApplicants:
    issuer = ServiceTokenIssuer(ec.generate_private_key(ec.SECP256R1()), "510104", "sunshine")
    credentials = ServiceCredentials(issuer, "hotline", timedelta(minutes=5))
    return RedirectedApplicants(lambda: _UnitOfWork(tickets), disclosure, credentials, lambda: T0)  # type: ignore[arg-type, return-value]


async def test_each_waiting_ticket_gets_its_applicant_once_with_the_service_token() -> None:
    tickets, disclosure = _Tickets(ticket_for("1"), ticket_for("2")), _Disclosure()
    disclosure.answers = {"1": APPLICANT, "2": Caller("李四", "13800000000")}
    filler = applicants(tickets, disclosure)
    assert await filler.fill_in() == 2
    assert tickets.stored[tickets_id(tickets, "1")].caller == APPLICANT
    assert all(token.startswith("Bearer ") for token in disclosure.tokens) and len(disclosure.tokens) == 2
    assert await filler.fill_in() == 0 and len(disclosure.tokens) == 2  # nothing waits any more


async def test_while_disclosure_is_unavailable_the_tickets_wait_and_are_filled_in_later() -> None:
    tickets, disclosure = _Tickets(ticket_for("1"), ticket_for("2")), _Disclosure()
    disclosure.answers = {"1": DependencyUnavailable("down"), "2": DependencyUnavailable("down")}
    filler = applicants(tickets, disclosure)
    assert await filler.fill_in() == 0
    assert len(disclosure.tokens) == 1  # the round ends at the first unavailable answer
    assert all(t.caller.is_anonymous for t in tickets.stored.values())
    disclosure.answers = {"1": APPLICANT, "2": APPLICANT}
    assert await filler.fill_in() == 2


async def test_a_refusal_leaves_that_ticket_waiting_and_the_others_go_on() -> None:
    tickets, disclosure = _Tickets(ticket_for("1"), ticket_for("2")), _Disclosure()
    disclosure.answers = {"1": PermissionDenied("not granted"), "2": APPLICANT}
    assert await applicants(tickets, disclosure).fill_in() == 1
    assert tickets.stored[tickets_id(tickets, "1")].caller.is_anonymous
    assert tickets.stored[tickets_id(tickets, "2")].caller == APPLICANT


def tickets_id(tickets: _Tickets, request_id: str) -> str:
    return next(t.id for t in tickets.stored.values() if t.disclosure_request_id == request_id)
