"""The event envelope: building events with globally unique ids, and reading them back."""

from __future__ import annotations

import os
import re
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TypeVar

from google.protobuf.message import Message
from google.protobuf.timestamp_pb2 import Timestamp
from sunshine.events.v1.envelope_pb2 import Envelope

from sunshine_kit.identity import StackIdentity

SUBJECT_ROOT = "sunshine"
M = TypeVar("M", bound=Message)


def new_event_id() -> str:
    """A UUIDv7 (RFC 9562): time-ordered, globally unique; it is also the Nats-Msg-Id."""
    millis = time.time_ns() // 1_000_000
    value = (millis & (2**48 - 1)) << 80 | int.from_bytes(os.urandom(10), "big")
    value = (value & ~(0xF << 76)) | (0x7 << 76)  # version 7
    value = (value & ~(0x3 << 62)) | (0x2 << 62)  # RFC 4122 variant
    return str(uuid.UUID(int=value))


def event_subject(division: str, service: str, aggregate: str, name: str) -> str:
    return f"{SUBJECT_ROOT}.{division}.{service}.{aggregate}.{name}"


@dataclass(frozen=True)
class Event:
    """An envelope and the subject it is published on."""

    subject: str
    envelope: Envelope

    @property
    def id(self) -> str:
        return self.envelope.id


def new_event(
    identity: StackIdentity,
    producer: str,
    aggregate: str,
    name: str,
    payload: Message,
    occurred_at: datetime | None = None,
    schema_version: int = 1,
) -> Event:
    occurred = Timestamp()
    occurred.FromDatetime(occurred_at or datetime.now(UTC))
    envelope = Envelope(
        id=new_event_id(),
        type=payload.DESCRIPTOR.full_name,
        division=identity.division,
        level=identity.level.to_proto(),
        occurred_at=occurred,
        producer=producer,
        schema_version=schema_version,
        payload=payload.SerializeToString(),
    )
    return Event(event_subject(identity.division, producer, aggregate, name), envelope)


def unpack(envelope: Envelope, message_type: type[M]) -> M:
    """The payload as `message_type`; refuses an envelope of another type."""
    expected = message_type.DESCRIPTOR.full_name
    if envelope.type != expected:
        raise ValueError(f"envelope {envelope.id} holds {envelope.type}, not {expected}")
    message = message_type()
    message.ParseFromString(envelope.payload)
    return message


def event_for(identity: StackIdentity, producer: str, payload: Message, occurred_at: datetime | None = None) -> Event:
    """The event of a payload whose type is named <Aggregate><Happening>, e.g. TicketAccepted is published on
    sunshine.<division>.hotline.ticket.accepted and CatalogueEntryPublished on ….catalogue_entry.published."""
    words = re.findall(r"[A-Z][a-z0-9]*", payload.DESCRIPTOR.name)
    if len(words) < 2:
        raise ValueError(f"{payload.DESCRIPTOR.name} is not named <Aggregate><Happening>")
    aggregate = "_".join(word.lower() for word in words[:-1])
    return new_event(identity, producer, aggregate, words[-1].lower(), payload, occurred_at)
