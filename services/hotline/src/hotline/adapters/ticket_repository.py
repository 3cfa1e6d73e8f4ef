"""Tickets and their history in the database; caller data sealed on the way in and opened on the way out."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Row, insert, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sunshine_kit.timestamps import as_utc

from hotline.adapters.personal_data import PersonalDataCipher
from hotline.adapters.tables import ticket_documents, ticket_history, tickets
from hotline.domain.caller import Caller
from hotline.domain.disclosure_routing import APPLICANT_UNAVAILABLE
from hotline.domain.duplicates import Candidate
from hotline.domain.ticket import HistoryEntry, LinkedDocument, Origin, Ticket
from hotline.domain.vocabulary import Category, Channel, Satisfaction, TicketState, Urgency
from hotline.domain.workflow import Actor

CALLER_COLUMNS = ("caller_name", "caller_phone", "caller_id_number", "caller_email")
DUPLICATE_CANDIDATES = 500


@dataclass(frozen=True)
class TicketQuery:
    """Filters for listing tickets; every field optional."""

    states: tuple[TicketState, ...] = ()
    topics: tuple[str, ...] = ()
    ids: tuple[str, ...] = ()
    numbers: tuple[str, ...] = ()
    channel: Channel | None = None
    lead_unit: str = ""
    accepted_from: datetime | None = None
    accepted_until: datetime | None = None
    exclude_confidential: bool = False
    limit: int = 100


class TicketRepository:
    def __init__(self, session: AsyncSession, cipher: PersonalDataCipher) -> None:
        self._session = session
        self._cipher = cipher

    async def add(self, ticket: Ticket) -> None:
        await self._session.execute(insert(tickets).values(id=ticket.id, **self._columns(ticket)))
        await self._add_history(ticket, 0)

    async def save(self, ticket: Ticket, known_history: int) -> None:
        """Writes the ticket's changed state and the history entries appended since it was read."""
        await self._session.execute(update(tickets).where(tickets.c.id == ticket.id).values(**self._columns(ticket)))
        await self._add_history(ticket, known_history)

    async def get(self, ticket_id: str, for_update: bool = False) -> Ticket | None:
        statement = select(tickets).where(tickets.c.id == ticket_id)
        row = (await self._session.execute(statement.with_for_update() if for_update else statement)).one_or_none()
        return None if row is None else await self._ticket(row)

    async def followed(self, number: str, follow_code_hash: str) -> Ticket | None:
        """The ticket a citizen follows: number and code hash found together in one lookup, so an unknown number
        and a wrong code cost the same (nothing else is loaded) and answer alike."""
        statement = select(tickets).where(tickets.c.number == number, tickets.c.follow_code_hash == follow_code_hash)
        row = (await self._session.execute(statement)).one_or_none()
        return None if row is None else await self._ticket(row)

    async def by_origin(self, origin: Origin) -> Ticket | None:
        """The ticket handed down from that origin ticket, if it was received already."""
        statement = select(tickets).where(
            tickets.c.origin_division == origin.division, tickets.c.origin_ticket_id == origin.ticket_id
        )
        row = (await self._session.execute(statement)).one_or_none()
        return None if row is None else await self._ticket(row)

    async def by_disclosure_request(self, request_id: str) -> Ticket | None:
        """The ticket a redirected disclosure request became, if it was received already."""
        statement = select(tickets).where(tickets.c.disclosure_request_id == request_id)
        row = (await self._session.execute(statement)).one_or_none()
        return None if row is None else await self._ticket(row)

    async def awaiting_applicant(self, limit: int) -> list[str]:
        """Ids of redirected requests' tickets without a caller yet and not given up on, oldest first (domain:
        awaits_applicant)."""
        given_up = (
            select(ticket_history.c.id)
            .where(ticket_history.c.ticket_id == tickets.c.id, ticket_history.c.action == APPLICANT_UNAVAILABLE)
            .exists()
        )
        statement = (
            select(tickets.c.id)
            .where(
                tickets.c.disclosure_request_id.is_not(None),
                *(tickets.c[c].is_(None) for c in CALLER_COLUMNS),
                ~given_up,
            )
            .order_by(tickets.c.accepted_at)
            .limit(limit)
        )
        return list((await self._session.execute(statement)).scalars())

    async def add_documents(self, ticket_id: str, documents: list[LinkedDocument]) -> None:
        rows = [
            {
                "ticket_id": ticket_id,
                "entry_id": d.entry_id,
                "title": d.title,
                "document_number": d.document_number,
                "validity": d.validity,
                "linked_at": d.linked_at,
                "linked_by": d.linked_by,
            }
            for d in documents
        ]
        if rows:
            await self._session.execute(insert(ticket_documents), rows)

    async def list(self, query: TicketQuery) -> list[Ticket]:
        statement = (
            select(tickets).where(*self._filters(query)).order_by(tickets.c.accepted_at.desc()).limit(query.limit)
        )
        rows = (await self._session.execute(statement)).all()
        return [await self._ticket(row, with_history=False) for row in rows]

    async def open_ids(self, states: frozenset[TicketState]) -> list[str]:
        statement = select(tickets.c.id).where(tickets.c.state.in_([s.name for s in states]))
        return list((await self._session.execute(statement)).scalars())

    async def duplicate_candidates(self, ticket: Ticket, since: datetime) -> list[Candidate]:
        caller_key = self._cipher.caller_key(ticket.caller)
        same = [tickets.c.place_division == ticket.place_division]
        if caller_key:
            same.append(tickets.c.caller_key == caller_key)
        statement = (
            select(
                tickets.c.id,
                tickets.c.accepted_at,
                tickets.c.place_division,
                tickets.c.description,
                tickets.c.caller_key,
            )
            .where(tickets.c.accepted_at >= since, tickets.c.id != ticket.id, tickets.c.merged_into == "", or_(*same))
            .order_by(tickets.c.accepted_at.desc())
            .limit(DUPLICATE_CANDIDATES)
        )
        rows = (await self._session.execute(statement)).all()
        return [Candidate(r.id, as_utc(r.accepted_at), r.place_division, r.description, r.caller_key) for r in rows]

    def caller_key(self, ticket: Ticket) -> str | None:
        return self._cipher.caller_key(ticket.caller)

    @staticmethod
    def _filters(query: TicketQuery) -> list[Any]:
        conditions = [
            (query.states, lambda: tickets.c.state.in_([s.name for s in query.states])),
            (query.topics, lambda: tickets.c.topic.in_(query.topics)),
            (query.ids, lambda: tickets.c.id.in_(query.ids)),
            (query.numbers, lambda: tickets.c.number.in_(query.numbers)),
            (query.channel, lambda: tickets.c.channel == query.channel.value),
            (query.lead_unit, lambda: tickets.c.lead_unit == query.lead_unit),
            (query.accepted_from, lambda: tickets.c.accepted_at >= query.accepted_from),
            (query.accepted_until, lambda: tickets.c.accepted_at <= query.accepted_until),
            (query.exclude_confidential, lambda: tickets.c.confidential.is_(False)),
        ]
        return [condition() for wanted, condition in conditions if wanted]

    def _columns(self, ticket: Ticket) -> dict[str, Any]:
        caller = ticket.caller
        return {
            "category": ticket.category.name,
            "topic": ticket.topic,
            "channel": ticket.channel.value,
            "place_division": ticket.place_division,
            "address": ticket.address,
            "description": ticket.description,
            "state": ticket.state.name,
            "accepted_at": ticket.accepted_at,
            "due_at": ticket.due_at,
            "due_at_provisional": ticket.due_at_provisional,
            "due_working_days": ticket.due_working_days,
            "number": ticket.number or None,
            "urgency": ticket.urgency.name,
            "confidential": ticket.confidential,
            "caller_name": self._cipher.seal(caller.name, "caller_name"),
            "caller_phone": self._cipher.seal(caller.phone, "caller_phone"),
            "caller_id_number": self._cipher.seal(caller.id_number, "caller_id_number"),
            "caller_email": self._cipher.seal(caller.email, "caller_email"),
            "caller_key": self._cipher.caller_key(caller),
            "follow_code_hash": ticket.follow_code_hash,
            "clock_started_at": ticket.clock_started_at,
            "lead_unit": ticket.lead_unit,
            "assisting_units": ",".join(ticket.assisting_units),
            "dispatched_at": ticket.dispatched_at,
            "sign_due_at": ticket.sign_due_at,
            "sign_due_at_provisional": ticket.sign_due_at_provisional,
            "sign_due_working_days": ticket.sign_due_working_days,
            "answer": ticket.answer,
            "direct_answer": ticket.direct_answer,
            "satisfaction": ticket.satisfaction.name if ticket.satisfaction else None,
            "resolved": ticket.resolved,
            "reopen_count": ticket.reopen_count,
            "urge_count": ticket.urge_count,
            "escalated": ticket.escalated,
            "requested_due_at": ticket.requested_due_at,
            "merged_into": ticket.merged_into,
            "duplicate_of": ticket.duplicate_of,
            "duplicate_score": ticket.duplicate_score,
            "clock_notices": ",".join(sorted(ticket.clock_notices)),
            "closed_at": ticket.closed_at,
            "updated_at": ticket.updated_at,
            "below_state": ticket.below_state.name if ticket.below_state else None,
            "disclosure_request_id": ticket.disclosure_request_id or None,
            "disclosure_request_number": ticket.disclosure_request_number or None,
            "latitude": ticket.latitude,
            "longitude": ticket.longitude,
            "media_url": ticket.media_url,
            **_origin_columns(ticket.origin),
        }

    async def _add_history(self, ticket: Ticket, known: int) -> None:
        rows = [
            {
                "ticket_id": ticket.id,
                "position": position,
                "action": entry.action,
                "from_state": entry.from_state.name,
                "to_state": entry.to_state.name,
                "actor": entry.actor.value,
                "actor_id": entry.actor_id,
                "at": entry.at,
                "note": entry.note,
            }
            for position, entry in enumerate(ticket.history[known:], start=known)
        ]
        if rows:
            await self._session.execute(insert(ticket_history), rows)

    async def _history(self, ticket_id: str) -> list[HistoryEntry]:
        statement = (
            select(ticket_history).where(ticket_history.c.ticket_id == ticket_id).order_by(ticket_history.c.position)
        )
        return [
            HistoryEntry(
                r.action,
                TicketState[r.from_state],
                TicketState[r.to_state],
                Actor(r.actor),
                r.actor_id,
                as_utc(r.at),
                r.note,
            )
            for r in (await self._session.execute(statement)).all()
        ]

    async def _documents(self, ticket_id: str) -> tuple[LinkedDocument, ...]:
        statement = (
            select(ticket_documents)
            .where(ticket_documents.c.ticket_id == ticket_id)
            .order_by(ticket_documents.c.linked_at, ticket_documents.c.entry_id)
        )
        return tuple(
            LinkedDocument(r.entry_id, r.title, r.document_number, r.validity, as_utc(r.linked_at), r.linked_by)
            for r in (await self._session.execute(statement)).all()
        )

    async def _ticket(self, row: Row[Any], with_history: bool = True) -> Ticket:
        return Ticket(
            id=row.id,
            number=row.number or "",
            category=Category[row.category],
            topic=row.topic,
            channel=Channel(row.channel),
            urgency=Urgency[row.urgency],
            place_division=row.place_division,
            address=row.address,
            description=row.description,
            confidential=row.confidential,
            caller=Caller(*(self._cipher.open(getattr(row, c), c) for c in CALLER_COLUMNS)),
            state=TicketState[row.state],
            accepted_at=as_utc(row.accepted_at),
            due_at=as_utc(row.due_at),
            due_at_provisional=row.due_at_provisional,
            due_working_days=row.due_working_days,
            clock_started_at=_utc(row.clock_started_at) or as_utc(row.accepted_at),
            follow_code_hash=row.follow_code_hash,
            lead_unit=row.lead_unit,
            assisting_units=tuple(u for u in row.assisting_units.split(",") if u),
            dispatched_at=_utc(row.dispatched_at),
            sign_due_at=_utc(row.sign_due_at),
            sign_due_at_provisional=row.sign_due_at_provisional,
            sign_due_working_days=row.sign_due_working_days,
            answer=row.answer,
            direct_answer=row.direct_answer,
            satisfaction=Satisfaction[row.satisfaction] if row.satisfaction else None,
            resolved=row.resolved,
            reopen_count=row.reopen_count,
            urge_count=row.urge_count,
            escalated=row.escalated,
            requested_due_at=_utc(row.requested_due_at),
            merged_into=row.merged_into,
            duplicate_of=row.duplicate_of,
            duplicate_score=row.duplicate_score,
            clock_notices=frozenset(n for n in row.clock_notices.split(",") if n),
            closed_at=_utc(row.closed_at),
            updated_at=_utc(row.updated_at),
            below_state=TicketState[row.below_state] if row.below_state else None,
            origin=Origin(row.origin_division, row.origin_ticket_id, row.origin_ticket_number or "")
            if row.origin_ticket_id
            else None,
            documents=await self._documents(row.id) if with_history else (),
            disclosure_request_id=row.disclosure_request_id or "",
            disclosure_request_number=row.disclosure_request_number or "",
            latitude=row.latitude,
            longitude=row.longitude,
            media_url=row.media_url,
            history=await self._history(row.id) if with_history else [],
        )


def _origin_columns(origin: Origin | None) -> dict[str, str | None]:
    return {
        "origin_division": origin.division if origin else None,
        "origin_ticket_id": origin.ticket_id if origin else None,
        "origin_ticket_number": origin.number if origin else None,
    }


def _utc(moment: datetime | None) -> datetime | None:
    return None if moment is None else as_utc(moment)
