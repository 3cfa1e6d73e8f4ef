"""Filling in the applicants of redirected requests: with the hotline's service token, once, and nothing lost
while the disclosure service is unavailable."""

from __future__ import annotations

import copy
from datetime import timedelta

import pytest
from cryptography.hazmat.primitives.asymmetric import ec
from hotline.adapters.ticket_repository import TicketRepository
from hotline.domain.caller import Caller
from hotline.domain.disclosure_routing import APPLICANT_UNAVAILABLE, awaits_applicant, redirected
from hotline.domain.ticket import Ticket
from hotline.service.redirected import RedirectedApplicants
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sunshine.events.v1.disclosure_pb2 import DisclosureRequestRedirected
from sunshine_kit.auth.service_identity import ServiceCredentials, ServiceTokenIssuer
from sunshine_kit.errors import DependencyUnavailable, NotFound, PermissionDenied, SunshineError, Unauthenticated

from .builders import LIMITS, T0
from .database import CIPHER

APPLICANT = Caller("王小红", "13987654321", "510104198805051234")


class _Tickets:
    def __init__(self, *tickets: Ticket) -> None:
        self.stored = {t.id: t for t in tickets}

    async def awaiting_applicant(self, limit: int) -> list[str]:
        return [t.id for t in self.stored.values() if awaits_applicant(t)][:limit]

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
    return redirected(event, T0, f"20260302{request_id:0>8}", LIMITS, "其他")  # 16 characters, as issued


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


@pytest.mark.parametrize(
    "failure", [DependencyUnavailable("down"), Unauthenticated("bad service key"), PermissionDenied("no grant")]
)
async def test_while_disclosure_is_unavailable_the_tickets_wait_and_are_filled_in_later(failure: Exception) -> None:
    tickets, disclosure = _Tickets(ticket_for("1"), ticket_for("2")), _Disclosure()
    disclosure.answers = {"1": failure, "2": failure}
    filler = applicants(tickets, disclosure)
    assert await filler.fill_in() == 0
    assert len(disclosure.tokens) == 1  # the round ends at the first unavailable answer
    assert all(t.caller.is_anonymous for t in tickets.stored.values())
    disclosure.answers = {"1": APPLICANT, "2": APPLICANT}
    assert await filler.fill_in() == 2


@pytest.mark.parametrize(
    ("answer", "reason"),
    [
        (NotFound("no request 1 redirected to the hotline"), "政务公开系统中没有该转办申请"),
        (Caller(), "申请未留联系方式"),
    ],
)
async def test_a_ticket_whose_applicant_cannot_come_stops_waiting_and_the_others_go_on(
    answer: Caller | SunshineError, reason: str
) -> None:
    tickets, disclosure = _Tickets(ticket_for("1"), ticket_for("2")), _Disclosure()
    disclosure.answers = {"1": answer, "2": APPLICANT}
    filler = applicants(tickets, disclosure)
    assert await filler.fill_in() == 1
    given_up = tickets.stored[tickets_id(tickets, "1")]
    assert given_up.caller.is_anonymous and not awaits_applicant(given_up)
    entry = given_up.history[-1]
    assert (entry.action, entry.from_state, entry.to_state) == (APPLICANT_UNAVAILABLE, given_up.state, given_up.state)
    assert reason in entry.note and "N-1" in entry.note
    assert tickets.stored[tickets_id(tickets, "2")].caller == APPLICANT
    asked = len(disclosure.tokens)
    assert await filler.fill_in() == 0 and len(disclosure.tokens) == asked  # not asked again


class _DatabaseUnitOfWork:
    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions

    async def __aenter__(self) -> _DatabaseUnitOfWork:
        self.session = self._sessions()
        await self.session.begin()
        self.tickets = TicketRepository(self.session, CIPHER)
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.session.rollback()
        await self.session.close()

    async def commit(self) -> None:
        await self.session.commit()


async def test_tickets_whose_applicant_cannot_come_do_not_starve_a_newer_one(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    failing: dict[str, Caller | Exception] = {}
    for n in range(60):  # older than the good one, and more than a round takes
        failing[f"f{n}"] = [NotFound("gone"), Caller()][n % 2]
    disclosure = _Disclosure()
    disclosure.answers = {**failing, "good": APPLICANT}
    async with sessions() as session, session.begin():
        repository = TicketRepository(session, CIPHER)
        for n, request_id in enumerate(disclosure.answers):
            ticket = ticket_for(request_id)
            ticket.accepted_at = T0 + timedelta(seconds=n)
            await repository.add(ticket)
    issuer = ServiceTokenIssuer(ec.generate_private_key(ec.SECP256R1()), "510104", "sunshine")
    credentials = ServiceCredentials(issuer, "hotline", timedelta(minutes=5))
    filler = RedirectedApplicants(lambda: _DatabaseUnitOfWork(sessions), disclosure, credentials, lambda: T0)  # type: ignore[arg-type, return-value]
    filled = [await filler.fill_in() for _ in range(3)]
    async with sessions() as session:
        repository = TicketRepository(session, CIPHER)
        good = await repository.by_disclosure_request("good")
        assert await repository.awaiting_applicant(100) == []
    assert good is not None and good.caller == APPLICANT
    assert filled == [0, 1, 0]
    assert len(disclosure.tokens) == 61  # each failing ticket asked once, then no more


def tickets_id(tickets: _Tickets, request_id: str) -> str:
    return next(t.id for t in tickets.stored.values() if t.disclosure_request_id == request_id)
