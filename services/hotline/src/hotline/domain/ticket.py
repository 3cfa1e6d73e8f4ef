"""The ticket (工单) and its intake (受理); the closed loop's transitions are in loop.py."""

from __future__ import annotations

import dataclasses
import math
import re
import uuid
from dataclasses import dataclass, field
from datetime import datetime

from google.protobuf.message import Message
from sunshine.events.v1 import hotline_pb2 as events
from sunshine_kit.errors import FieldViolation, ValidationFailed
from sunshine_kit.identity import is_division_code
from sunshine_kit.timestamps import to_timestamp

from hotline.domain.caller import Caller
from hotline.domain.plain_text import free_text, one_line
from hotline.domain.time_limits import Due, TimeLimits
from hotline.domain.vocabulary import Category, Channel, Satisfaction, TicketState, Urgency
from hotline.domain.workflow import Actor

MAX_DESCRIPTION = 4000
MAX_ADDRESS = 200
MAX_TOPIC = 50
MAX_CALLER_FIELD = 64
MAX_EMAIL = 254
MAX_MEDIA_URL = 500
# The spec's own description is optional (Open311 GeoReport v2): the service and the place may say enough.
DESCRIPTION_OPTIONAL = frozenset({Channel.OPEN311})
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
_MEDIA_URL = re.compile(r"https?://[^\s/]+\S*", re.IGNORECASE)


@dataclass(frozen=True)
class Intake:
    """What an operator records, or a citizen files, when a ticket is accepted."""

    category: Category | None
    topic: str
    channel: Channel | None
    place_division: str
    address: str
    description: str
    urgency: Urgency = Urgency.NORMAL
    confidential: bool = False
    caller: Caller = field(default_factory=Caller)
    latitude: float | None = None
    longitude: float | None = None
    media_url: str = ""

    def cleaned(self) -> Intake:
        """The text as it is kept, whatever the channel brought (plain_text): checks and storage see this."""
        return dataclasses.replace(
            self,
            topic=one_line(self.topic).strip(),
            address=one_line(self.address).strip(),
            description=free_text(self.description).strip(),
            caller=self.caller.cleaned(),
            media_url=one_line(self.media_url).strip(),
        )

    def violations(self) -> list[FieldViolation]:
        description_needed = self.channel not in DESCRIPTION_OPTIONAL
        checks = [
            (self.category is None, "category", "choose one of 咨询, 求助, 投诉, 举报, 意见建议, 表扬"),
            (self.channel is None, "channel", "say how the matter reached the hotline"),
            (not self.topic.strip(), "topic", "must not be empty"),
            (len(self.topic) > MAX_TOPIC, "topic", f"at most {MAX_TOPIC} characters"),
            (not is_division_code(self.place_division), "place_division", "must be a 6- or 9-digit division code"),
            (len(self.address) > MAX_ADDRESS, "address", f"at most {MAX_ADDRESS} characters"),
            (description_needed and not self.description.strip(), "description", "must not be empty"),
            (len(self.description) > MAX_DESCRIPTION, "description", f"at most {MAX_DESCRIPTION} characters"),
            *self._location_checks(),
            (len(self.media_url) > MAX_MEDIA_URL, "media_url", f"at most {MAX_MEDIA_URL} characters"),
            (bool(self.media_url) and not _MEDIA_URL.fullmatch(self.media_url), "media_url", "must be an http(s) URL"),
            *self._caller_checks(),
        ]
        return [FieldViolation(name, text) for failed, name, text in checks if failed]

    def _location_checks(self) -> list[tuple[bool, str, str]]:
        lat, long = self.latitude, self.longitude
        return [
            ((lat is None) != (long is None), "latitude" if lat is None else "longitude", "give both or neither"),
            (lat is not None and not _within(lat, 90), "latitude", "-90 to 90 (WGS84)"),
            (long is not None and not _within(long, 180), "longitude", "-180 to 180 (WGS84)"),
        ]

    def _caller_checks(self) -> list[tuple[bool, str, str]]:
        fields = {
            "caller.name": self.caller.name,
            "caller.phone": self.caller.phone,
            "caller.id_number": self.caller.id_number,
        }
        email = self.caller.email
        return [
            *((len(v) > MAX_CALLER_FIELD, k, f"at most {MAX_CALLER_FIELD} characters") for k, v in fields.items()),
            (len(email) > MAX_EMAIL, "caller.email", f"at most {MAX_EMAIL} characters"),
            (bool(email) and not _EMAIL.fullmatch(email), "caller.email", "must look like name@example.com"),
        ]


def _within(degrees: float, bound: int) -> bool:
    return math.isfinite(degrees) and -bound <= degrees <= bound


@dataclass(frozen=True)
class Origin:
    """Where a ticket handed down from the parent stack came from."""

    division: str
    ticket_id: str
    number: str = ""


@dataclass(frozen=True)
class LinkedDocument:
    """A disclosure catalogue entry (知识库) used for the answer, as it was when linked."""

    entry_id: str
    title: str
    document_number: str
    validity: str
    linked_at: datetime
    linked_by: str


@dataclass(frozen=True)
class HistoryEntry:
    """One recorded transition: who did what, when, from which state to which."""

    action: str
    from_state: TicketState
    to_state: TicketState
    actor: Actor
    actor_id: str
    at: datetime
    note: str = ""


@dataclass
class Ticket:
    id: str
    number: str
    category: Category
    topic: str
    channel: Channel
    urgency: Urgency
    place_division: str
    address: str
    description: str
    confidential: bool
    caller: Caller
    state: TicketState
    accepted_at: datetime
    due_at: datetime
    clock_started_at: datetime
    # 预计: due_at / sign_due_at counted through a year without an official holiday arrangement.
    due_at_provisional: bool = False
    # The working days due_at / sign_due_at were counted with, to count them again when the calendar changes;
    # None when not counted here in working days (a limit in hours, a time a person chose, the origin's).
    due_working_days: int | None = None
    follow_code_hash: str = ""
    lead_unit: str = ""
    assisting_units: tuple[str, ...] = ()
    dispatched_at: datetime | None = None
    sign_due_at: datetime | None = None
    sign_due_at_provisional: bool = False
    sign_due_working_days: int | None = None
    answer: str = ""
    direct_answer: bool = False
    satisfaction: Satisfaction | None = None
    resolved: bool | None = None
    reopen_count: int = 0
    urge_count: int = 0
    escalated: bool = False
    requested_due_at: datetime | None = None
    merged_into: str = ""
    duplicate_of: str = ""
    duplicate_score: float = 0.0
    clock_notices: frozenset[str] = frozenset()
    closed_at: datetime | None = None
    updated_at: datetime | None = None
    origin: Origin | None = None
    below_state: TicketState | None = None
    documents: tuple[LinkedDocument, ...] = ()
    # The disclosure request (依申请公开) the ticket came from (redirected as a complaint, with its id) or was
    # handed over as (number only: the submission answers with the number).
    disclosure_request_id: str = ""
    disclosure_request_number: str = ""
    latitude: float | None = None
    longitude: float | None = None
    media_url: str = ""
    history: list[HistoryEntry] = field(default_factory=list)
    events: list[Message] = field(default_factory=list, repr=False, compare=False)
    # Work for a child stack, queued with the events: (child division, sunshine.dispatch.v1 payload).
    handed_down: list[tuple[str, Message]] = field(default_factory=list, repr=False, compare=False)
    # Replies to the parent stack about a ticket it handed down, queued with the events (sunshine.dispatch.v1).
    replies: list[Message] = field(default_factory=list, repr=False, compare=False)

    @classmethod
    def accept(
        cls, intake: Intake, accepted_at: datetime, time_limits: TimeLimits, number: str = "", code_hash: str = ""
    ) -> Ticket:
        intake = intake.cleaned()
        violations = intake.violations()
        if violations:
            raise ValidationFailed(*violations)
        assert intake.category is not None and intake.channel is not None
        due = time_limits.due_at(intake.category, intake.urgency, accepted_at)
        ticket = cls(
            id=str(uuid.uuid4()),
            number=number,
            category=intake.category,
            topic=intake.topic,
            channel=intake.channel,
            urgency=intake.urgency,
            place_division=intake.place_division,
            address=intake.address,
            description=intake.description,
            confidential=intake.confidential,
            caller=intake.caller,
            latitude=intake.latitude,
            longitude=intake.longitude,
            media_url=intake.media_url,
            state=TicketState.ACCEPTED,
            accepted_at=accepted_at,
            due_at=due.at,
            due_at_provisional=due.provisional,
            due_working_days=due.working_days,
            clock_started_at=accepted_at,
            follow_code_hash=code_hash,
            updated_at=accepted_at,
        )
        actor = Actor.OPERATOR if intake.channel is Channel.PHONE else Actor.CITIZEN
        ticket.history.append(
            HistoryEntry("accept", TicketState.ACCEPTED, TicketState.ACCEPTED, actor, "", accepted_at)
        )
        ticket.events.append(ticket.accepted_event())
        return ticket

    def set_due(self, due: Due) -> None:
        """The handling due time (办结时限)."""
        self.due_at, self.due_at_provisional, self.due_working_days = due.at, due.provisional, due.working_days

    def set_sign_due(self, due: Due) -> None:
        """The signing due time (签收时限) of the latest dispatch."""
        self.sign_due_at, self.sign_due_at_provisional, self.sign_due_working_days = (
            due.at, due.provisional, due.working_days,
        )  # fmt: skip

    def record(self, action: str, actor: Actor, actor_id: str, at: datetime, to: TicketState, note: str = "") -> None:
        self.history.append(HistoryEntry(str(action), self.state, to, actor, actor_id, at, note))
        self.state = to
        self.updated_at = at

    def emit(self, event_type: type[Message], at: datetime, **fields: object) -> None:
        """An upward-safe event of this ticket: ids, division, unit codes, times, flags — never free text."""
        self.events.append(
            event_type(
                ticket_id=self.id,
                place_division=self.place_division,
                occurred_at=to_timestamp(at),
                **self._origin_fields(event_type),
                **fields,
            )
        )

    def close(
        self,
        action: str,
        actor: Actor,
        actor_id: str,
        at: datetime,
        note: str = "",
        direct: bool = False,
        handed_to_disclosure: bool = False,
    ) -> None:
        """办结: by an approved review, a direct answer, the child stack that handled it closing it there, or
        the hand-over of the call to the disclosure service."""
        self.closed_at, self.direct_answer = at, direct
        self.record(action, actor, actor_id, at, TicketState.CLOSED, note)
        self.emit(
            events.TicketClosed,
            at,
            unit=self.lead_unit,
            due_at=to_timestamp(self.due_at),
            due_at_provisional=self.due_at_provisional,
            on_time=at <= self.due_at,
            direct_answer=direct,
            linked_documents=len(self.documents),
            handed_to_disclosure=handed_to_disclosure,
        )

    def _origin_fields(self, event_type: type[Message]) -> dict[str, str]:
        """A handed-down ticket tells its origin which ticket the event is about, in the events it follows."""
        if self.origin is None or "origin_ticket_id" not in event_type.DESCRIPTOR.fields_by_name:
            return {}
        return {"origin_division": self.origin.division, "origin_ticket_id": self.origin.ticket_id}

    def accepted_event(self) -> events.TicketAccepted:
        return events.TicketAccepted(
            ticket_id=self.id,
            category=self.category.name,
            topic=self.topic,
            channel=self.channel.value,
            place_division=self.place_division,
            accepted_at=to_timestamp(self.accepted_at),
            due_at=to_timestamp(self.due_at),
            due_at_provisional=self.due_at_provisional,
            urgency=self.urgency.name,
            **self._origin_fields(events.TicketAccepted),
        )
