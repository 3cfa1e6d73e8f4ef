"""The ticket (工单) and its intake (受理). The rest of the closed loop joins here as it is built."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from google.protobuf.message import Message
from sunshine.events.v1 import hotline_pb2 as events
from sunshine_kit.errors import FieldViolation, ValidationFailed
from sunshine_kit.identity import is_division_code
from sunshine_kit.timestamps import to_timestamp

from hotline.domain.time_limits import TimeLimits


class Category(StrEnum):
    INQUIRY = "咨询"
    HELP = "求助"
    COMPLAINT = "投诉"
    REPORT = "举报"
    SUGGESTION = "意见建议"
    PRAISE = "表扬"


class Channel(StrEnum):
    PHONE = "phone"
    WEB = "web"
    APP = "app"
    WECHAT = "wechat"
    EMAIL = "email"
    OPEN311 = "open311"


class TicketState(StrEnum):
    ACCEPTED = "受理"


MAX_DESCRIPTION = 4000
MAX_ADDRESS = 200
MAX_TOPIC = 50


@dataclass(frozen=True)
class Intake:
    """What an operator records, or a citizen files, when a ticket is accepted."""

    category: Category | None
    topic: str
    channel: Channel | None
    place_division: str
    address: str
    description: str

    def violations(self) -> list[FieldViolation]:
        checks = [
            (self.category is None, "category", "choose one of 咨询, 求助, 投诉, 举报, 意见建议, 表扬"),
            (self.channel is None, "channel", "say how the matter reached the hotline"),
            (not self.topic.strip(), "topic", "must not be empty"),
            (len(self.topic) > MAX_TOPIC, "topic", f"at most {MAX_TOPIC} characters"),
            (not is_division_code(self.place_division), "place_division", "must be a 6- or 9-digit division code"),
            (len(self.address) > MAX_ADDRESS, "address", f"at most {MAX_ADDRESS} characters"),
            (not self.description.strip(), "description", "must not be empty"),
            (len(self.description) > MAX_DESCRIPTION, "description", f"at most {MAX_DESCRIPTION} characters"),
        ]
        return [FieldViolation(name, text) for failed, name, text in checks if failed]


@dataclass
class Ticket:
    id: str
    category: Category
    topic: str
    channel: Channel
    place_division: str
    address: str
    description: str
    state: TicketState
    accepted_at: datetime
    due_at: datetime
    events: list[Message] = field(default_factory=list, repr=False, compare=False)

    @classmethod
    def accept(cls, intake: Intake, accepted_at: datetime, time_limits: TimeLimits) -> Ticket:
        violations = intake.violations()
        if violations:
            raise ValidationFailed(*violations)
        assert intake.category is not None and intake.channel is not None
        ticket = cls(
            id=str(uuid.uuid4()),
            category=intake.category,
            topic=intake.topic.strip(),
            channel=intake.channel,
            place_division=intake.place_division,
            address=intake.address.strip(),
            description=intake.description.strip(),
            state=TicketState.ACCEPTED,
            accepted_at=accepted_at,
            due_at=time_limits.due_at(intake.category, accepted_at),
        )
        ticket.events.append(ticket._accepted_event())
        return ticket

    def _accepted_event(self) -> events.TicketAccepted:
        # Upward-safe by construction: no address, no description, no caller.
        return events.TicketAccepted(
            ticket_id=self.id,
            category=self.category.name,
            topic=self.topic,
            channel=self.channel.value,
            place_division=self.place_division,
            accepted_at=to_timestamp(self.accepted_at),
            due_at=to_timestamp(self.due_at),
        )
