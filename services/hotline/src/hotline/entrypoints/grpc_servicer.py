"""HotlineService over gRPC: maps messages to use-case calls and back."""

from __future__ import annotations

from enum import Enum
from typing import TypeVar

from sunshine.hotline.v1 import hotline_pb2 as pb
from sunshine.hotline.v1 import hotline_pb2_grpc
from sunshine_kit.rpc.principal import require_principal
from sunshine_kit.timestamps import to_timestamp

from hotline.domain.ticket import Category, Channel, Intake, Ticket
from hotline.service.tickets import TicketService

E = TypeVar("E", bound=Enum)
SERVICE_NAME = pb.DESCRIPTOR.services_by_name["HotlineService"].full_name


class HotlineServicer(hotline_pb2_grpc.HotlineServiceServicer):
    def __init__(self, tickets: TicketService) -> None:
        self._tickets = tickets

    async def AcceptTicket(self, request: pb.AcceptTicketRequest, context: object) -> pb.AcceptTicketResponse:
        ticket = await self._tickets.accept(require_principal(), _intake(request))
        return pb.AcceptTicketResponse(ticket=_ticket_message(ticket))

    async def GetTicket(self, request: pb.GetTicketRequest, context: object) -> pb.GetTicketResponse:
        ticket = await self._tickets.get(require_principal(), request.id)
        return pb.GetTicketResponse(ticket=_ticket_message(ticket))


def _intake(request: pb.AcceptTicketRequest) -> Intake:
    return Intake(
        category=_enum_member(Category, pb.Category.Name(request.category), "CATEGORY_"),
        topic=request.topic,
        channel=_enum_member(Channel, pb.Channel.Name(request.channel), "CHANNEL_"),
        place_division=request.place_division,
        address=request.address,
        description=request.description,
    )


def _enum_member(enum: type[E], proto_name: str, prefix: str) -> E | None:
    return enum.__members__.get(proto_name.removeprefix(prefix))


def _ticket_message(ticket: Ticket) -> pb.Ticket:
    return pb.Ticket(
        id=ticket.id,
        category=pb.Category.Value(f"CATEGORY_{ticket.category.name}"),
        topic=ticket.topic,
        channel=pb.Channel.Value(f"CHANNEL_{ticket.channel.name}"),
        place_division=ticket.place_division,
        address=ticket.address,
        description=ticket.description,
        state=ticket.state.value,
        accepted_at=to_timestamp(ticket.accepted_at),
        due_at=to_timestamp(ticket.due_at),
    )
