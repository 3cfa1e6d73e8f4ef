from __future__ import annotations

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncSession
from sunshine_kit.timestamps import as_utc

from hotline.adapters.tables import tickets
from hotline.domain.ticket import Category, Channel, Ticket, TicketState


class TicketRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, ticket: Ticket) -> None:
        await self._session.execute(
            insert(tickets).values(
                id=ticket.id,
                category=ticket.category.name,
                topic=ticket.topic,
                channel=ticket.channel.value,
                place_division=ticket.place_division,
                address=ticket.address,
                description=ticket.description,
                state=ticket.state.name,
                accepted_at=ticket.accepted_at,
                due_at=ticket.due_at,
            )
        )

    async def get(self, ticket_id: str) -> Ticket | None:
        row = (await self._session.execute(select(tickets).where(tickets.c.id == ticket_id))).one_or_none()
        if row is None:
            return None
        return Ticket(
            id=row.id,
            category=Category[row.category],
            topic=row.topic,
            channel=Channel(row.channel),
            place_division=row.place_division,
            address=row.address,
            description=row.description,
            state=TicketState[row.state],
            accepted_at=as_utc(row.accepted_at),
            due_at=as_utc(row.due_at),
        )
