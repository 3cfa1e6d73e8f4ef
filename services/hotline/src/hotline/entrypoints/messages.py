"""protobuf messages <-> domain values for the HotlineService."""

from __future__ import annotations

from datetime import datetime
from enum import Enum
from typing import TypeVar

from google.protobuf.timestamp_pb2 import Timestamp
from sunshine.hotline.v1 import hotline_pb2 as pb
from sunshine_kit.errors import ValidationFailed
from sunshine_kit.timestamps import from_timestamp, to_timestamp

from hotline.adapters.ticket_repository import TicketQuery
from hotline.domain.caller import Caller
from hotline.domain.knowledge import Document
from hotline.domain.plain_text import free_text
from hotline.domain.ticket import HistoryEntry, Intake, LinkedDocument, Ticket
from hotline.domain.vocabulary import OPEN_STATES, Category, Channel, Satisfaction, TicketState, Urgency
from hotline.domain.workflow import Action
from hotline.service.handling import Transition

E = TypeVar("E", bound=Enum)
MAX_LIST = 1000


def intake(message: pb.TicketIntake) -> Intake:
    return Intake(
        category=_member(Category, pb.Category.Name(message.category), "CATEGORY_"),
        topic=message.topic,
        channel=_member(Channel, pb.Channel.Name(message.channel), "CHANNEL_"),
        place_division=message.place_division,
        address=message.address,
        description=message.description,
        urgency=_member(Urgency, pb.Urgency.Name(message.urgency), "URGENCY_") or Urgency.NORMAL,
        confidential=message.confidential,
        caller=Caller(message.caller.name, message.caller.phone, message.caller.id_number, message.caller.email),
        latitude=message.latitude if message.HasField("latitude") else None,
        longitude=message.longitude if message.HasField("longitude") else None,
        media_url=message.media_url,
    )


def transition(request: pb.TransitionTicketRequest) -> Transition:
    action = _named(Action, request.action, "action", by_value=True)
    return Transition(
        action=action,
        note=free_text(request.note),
        lead_unit=request.lead_unit.strip(),
        assisting_units=tuple(u.strip() for u in request.assisting_units if u.strip()),
        answer=free_text(request.answer),
        approved=request.approved,
        reached=request.reached if request.HasField("reached") else True,
        resolved=request.resolved,
        satisfaction=satisfaction(request.satisfaction),
        until=from_timestamp(request.until) if request.HasField("until") else None,
        primary_ticket_id=request.primary_ticket_id.strip(),
    )


def satisfaction(name: str) -> Satisfaction | None:
    return _named(Satisfaction, name, "satisfaction") if name else None


def query(request: pb.ListTicketsRequest) -> TicketQuery:
    return TicketQuery(
        states=_states(request),
        topics=tuple(request.topics),
        ids=tuple(request.ids),
        numbers=tuple(request.numbers),
        accepted_from=from_timestamp(request.accepted_from) if request.HasField("accepted_from") else None,
        accepted_until=from_timestamp(request.accepted_until) if request.HasField("accepted_until") else None,
        limit=_limit(request.limit),
    )


def _limit(limit: int) -> int:
    """0 is the default (100); a negative limit would mean no limit at all to SQLite."""
    if limit < 0:
        raise ValidationFailed.field("limit", f"0 (the default, 100) to {MAX_LIST}")
    return min(limit or 100, MAX_LIST)


def _states(request: pb.ListTicketsRequest) -> tuple[TicketState, ...]:
    if request.openness == pb.OPENNESS_UNSPECIFIED:
        return tuple(_named(TicketState, s, "states") for s in request.states)
    if request.states:
        raise ValidationFailed.field("openness", "give either states or openness, not both")
    if request.openness == pb.OPENNESS_OPEN:
        return tuple(sorted(OPEN_STATES))
    return tuple(sorted(set(TicketState) - OPEN_STATES))


def ticket(t: Ticket) -> pb.Ticket:
    message = pb.Ticket(
        id=t.id,
        number=t.number,
        category=pb.Category.Value(f"CATEGORY_{t.category.name}"),
        topic=t.topic,
        channel=pb.Channel.Value(f"CHANNEL_{t.channel.name}"),
        urgency=pb.Urgency.Value(f"URGENCY_{t.urgency.name}"),
        place_division=t.place_division,
        address=t.address,
        description=t.description,
        confidential=t.confidential,
        caller=pb.Caller(name=t.caller.name, phone=t.caller.phone, id_number=t.caller.id_number, email=t.caller.email),
        latitude=t.latitude,
        longitude=t.longitude,
        media_url=t.media_url,
        state=t.state.value,
        state_code=t.state.name,
        open=t.state in OPEN_STATES,
        accepted_at=to_timestamp(t.accepted_at),
        due_at=to_timestamp(t.due_at),
        due_at_provisional=t.due_at_provisional,
        sign_due_at_provisional=t.sign_due_at_provisional,
        lead_unit=t.lead_unit,
        assisting_units=list(t.assisting_units),
        answer=t.answer,
        direct_answer=t.direct_answer,
        satisfaction=t.satisfaction.name if t.satisfaction else "",
        reopen_count=t.reopen_count,
        urge_count=t.urge_count,
        escalated=t.escalated,
        merged_into=t.merged_into,
        duplicate_of=t.duplicate_of,
        duplicate_score=t.duplicate_score,
        history=[_history(h) for h in t.history],
        below_state=t.below_state.name if t.below_state else "",
        documents=[_linked(d) for d in t.documents],
        disclosure_request_id=t.disclosure_request_id,
        disclosure_request_number=t.disclosure_request_number,
    )
    if t.origin is not None:
        message.origin_division, message.origin_ticket_id = t.origin.division, t.origin.ticket_id
        message.origin_ticket_number = t.origin.number
    if t.resolved is not None:
        message.resolved = t.resolved
    for name in ("dispatched_at", "sign_due_at", "requested_due_at", "closed_at", "updated_at"):
        _set_time(getattr(message, name), getattr(t, name))
    return message


def document(d: Document) -> pb.KnowledgeDocument:
    return pb.KnowledgeDocument(
        entry_id=d.entry_id,
        title=d.title,
        document_number=d.document_number,
        issuing_organ=d.issuing_organ,
        validity=d.validity,
        formed_on=d.formed_on,
        score=d.score,
    )


def _linked(d: LinkedDocument) -> pb.LinkedDocument:
    return pb.LinkedDocument(
        entry_id=d.entry_id,
        title=d.title,
        document_number=d.document_number,
        validity=d.validity,
        linked_at=to_timestamp(d.linked_at),
        linked_by=d.linked_by,
    )


def _history(entry: HistoryEntry) -> pb.HistoryEntry:
    return pb.HistoryEntry(
        action=entry.action,
        from_state=entry.from_state.value,
        to_state=entry.to_state.value,
        actor=entry.actor.value,
        actor_id=entry.actor_id,
        at=to_timestamp(entry.at),
        note=entry.note,
    )


def _set_time(field: Timestamp, moment: datetime | None) -> None:
    if moment is not None:
        field.CopyFrom(to_timestamp(moment))


def _member(enum: type[E], proto_name: str, prefix: str) -> E | None:
    return enum.__members__.get(proto_name.removeprefix(prefix))


def _named(enum: type[E], text: str, field: str, by_value: bool = False) -> E:
    names = {m.value if by_value else m.name: m for m in enum}
    if text not in names:
        raise ValidationFailed.field(field, f"{text!r} is not one of {', '.join(names)}")
    return names[text]
