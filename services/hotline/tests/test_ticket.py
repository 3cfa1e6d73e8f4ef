"""Ticket intake (受理): the accepted ticket, its upward-safe TicketAccepted event, and intake validation.

Due dates were checked against the installed chinesecalendar 1.11.0 data: 2026 春节 break 02-15..02-23 with
调休 Saturdays 02-14 and 02-28 worked.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest
from hotline.domain.ticket import (
    MAX_ADDRESS,
    MAX_DESCRIPTION,
    MAX_TOPIC,
    Category,
    Channel,
    Intake,
    Ticket,
    TicketState,
)
from hotline.domain.time_limits import TimeLimits
from sunshine.events.v1 import hotline_pb2 as events
from sunshine_kit.errors import ValidationFailed
from sunshine_kit.timestamps import CHINA_TIME, from_timestamp
from sunshine_kit.working_days import WorkingDayCalendar

LIMITS = TimeLimits(WorkingDayCalendar())
# Friday 2026-02-13, 20:00 China time: the evening before the 调休 Saturday and the 春节 break.
ACCEPTED_AT = datetime(2026, 2, 13, 20, 0, tzinfo=CHINA_TIME).astimezone(UTC)
ADDRESS = "锦江区春熙路 18 号 3 单元"
DESCRIPTION = "来电人反映夜间 23 点后工地持续施工，噪声扰民，联系电话 13800000000。"

# Field names an upward-safe event must never carry (matched as substrings of the field name).
FREE_TEXT_DENYLIST = (
    "address",
    "description",
    "caller",
    "phone",
    "name",
    "email",
    "contact",
    "text",
    "body",
    "content",
    "note",
    "comment",
    "remark",
    "detail",
    "reply",
)


def intake(**changes: object) -> Intake:
    fields: dict[str, object] = {
        "category": Category.COMPLAINT,
        "topic": "施工噪声",
        "channel": Channel.PHONE,
        "place_division": "510104",
        "address": ADDRESS,
        "description": DESCRIPTION,
    }
    return Intake(**{**fields, **changes})  # type: ignore[arg-type]


def accept(**changes: object) -> Ticket:
    return Ticket.accept(intake(**changes), ACCEPTED_AT, LIMITS)


def violated_fields(**changes: object) -> list[str]:
    with pytest.raises(ValidationFailed) as raised:
        accept(**changes)
    return [v.field for v in raised.value.violations]


# --- a valid intake ---------------------------------------------------------------------------------------


def test_valid_intake_is_accepted_in_state_shouli() -> None:
    ticket = accept()
    assert ticket.state is TicketState.ACCEPTED
    assert ticket.state == "受理"


def test_accepted_ticket_keeps_the_intake() -> None:
    ticket = accept()
    assert (ticket.category, ticket.topic, ticket.channel) == (Category.COMPLAINT, "施工噪声", Channel.PHONE)
    assert (ticket.place_division, ticket.address, ticket.description) == ("510104", ADDRESS, DESCRIPTION)
    assert ticket.accepted_at == ACCEPTED_AT
    assert uuid.UUID(ticket.id).version == 4


def test_accept_strips_surrounding_whitespace() -> None:
    ticket = accept(topic="  施工噪声 ", address=f" {ADDRESS}\n", description=f"\t{DESCRIPTION}  ")
    assert (ticket.topic, ticket.address, ticket.description) == ("施工噪声", ADDRESS, DESCRIPTION)


def test_each_accepted_ticket_gets_its_own_id() -> None:
    assert accept().id != accept().id


def test_complaint_accepted_before_spring_festival_is_due_15_working_days_later() -> None:
    # 02-14 (调休) is day 1, 02-24..02-28 days 2-6, 03-02..03-06 days 7-11, 03-09..03-12 days 12-15.
    assert accept().due_at == datetime(2026, 3, 12, 23, 59, 59, tzinfo=CHINA_TIME)


def test_accept_records_exactly_one_ticket_accepted_event() -> None:
    ticket = accept()
    assert len(ticket.events) == 1
    assert isinstance(ticket.events[0], events.TicketAccepted)


def test_ticket_accepted_event_fields_match_the_ticket() -> None:
    ticket = accept(category=Category.SUGGESTION, channel=Channel.WECHAT, place_division="510104001")
    event = ticket.events[0]
    assert event.ticket_id == ticket.id
    assert event.category == "SUGGESTION"
    assert event.topic == "施工噪声"
    assert event.channel == "wechat"
    assert event.place_division == "510104001"
    assert event.urgency == "NORMAL"
    assert from_timestamp(event.accepted_at) == ACCEPTED_AT
    assert from_timestamp(event.due_at) == ticket.due_at


@pytest.mark.parametrize("message", events.DESCRIPTOR.message_types_by_name.values(), ids=lambda m: m.name)
def test_no_hotline_event_has_personal_or_free_text_fields(message) -> None:  # type: ignore[no-untyped-def]
    names = [f.name for f in message.fields]
    offending = [n for n in names if any(word in n.lower() for word in FREE_TEXT_DENYLIST)]
    assert offending == []


def test_ticket_accepted_event_does_not_carry_address_or_description_text() -> None:
    payload = accept().events[0].SerializeToString()
    for secret in (ADDRESS, DESCRIPTION, "13800000000", "春熙路"):
        assert secret.encode() not in payload


# --- validation -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"category": None}, "category"),
        ({"channel": None}, "channel"),
        ({"topic": ""}, "topic"),
        ({"topic": "  \n "}, "topic"),
        ({"topic": "题" * (MAX_TOPIC + 1)}, "topic"),
        ({"place_division": ""}, "place_division"),
        ({"place_division": "51010"}, "place_division"),
        ({"place_division": "5101040"}, "place_division"),
        ({"place_division": "5101040011"}, "place_division"),
        ({"place_division": "51010a"}, "place_division"),
        ({"address": "址" * (MAX_ADDRESS + 1)}, "address"),
        ({"description": ""}, "description"),
        ({"description": " \t\n"}, "description"),
        ({"description": "述" * (MAX_DESCRIPTION + 1)}, "description"),
    ],
    ids=lambda value: None if isinstance(value, dict) else value,
)
def test_each_invalid_field_is_named(changes: dict[str, object], field: str) -> None:
    assert violated_fields(**changes) == [field]


@pytest.mark.parametrize(
    "changes",
    [
        {"topic": "题" * MAX_TOPIC},
        {"address": "址" * MAX_ADDRESS},
        {"address": ""},
        {"description": "述" * MAX_DESCRIPTION},
        {"place_division": "510104001"},
    ],
    ids=["topic-at-max", "address-at-max", "no-address", "description-at-max", "township-division"],
)
def test_limits_are_inclusive_and_address_is_optional(changes: dict[str, object]) -> None:
    assert accept(**changes).state is TicketState.ACCEPTED


def test_several_invalid_fields_are_reported_together() -> None:
    with pytest.raises(ValidationFailed) as raised:
        accept(category=None, topic="", place_division="abc", description="")
    assert [v.field for v in raised.value.violations] == ["category", "topic", "place_division", "description"]
    assert all(v.description for v in raised.value.violations)
    for field in ("category", "topic", "place_division", "description"):
        assert f"{field}:" in str(raised.value)
