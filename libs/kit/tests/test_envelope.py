"""The event envelope: subjects, envelope fields, unpacking, and UUIDv7 event ids."""

from __future__ import annotations

import time
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sunshine.events.v1 import disclosure_pb2, envelope_pb2, hotline_pb2
from sunshine_kit.envelope import event_for, new_event, new_event_id, unpack
from sunshine_kit.identity import Level, StackIdentity
from sunshine_kit.timestamps import to_timestamp

COUNTY = StackIdentity(Level.COUNTY, "510104", "锦江区", parent_division="510100")
OCCURRED_AT = datetime(2026, 2, 13, 12, 0, 0, 123000, tzinfo=UTC)


def ticket_accepted() -> hotline_pb2.TicketAccepted:
    return hotline_pb2.TicketAccepted(
        ticket_id="t-1",
        category="COMPLAINT",
        topic="施工噪声",
        channel="phone",
        place_division="510104001",
        accepted_at=to_timestamp(OCCURRED_AT),
        due_at=to_timestamp(OCCURRED_AT + timedelta(days=27)),
    )


def catalogue_entry_published() -> disclosure_pb2.CatalogueEntryPublished:
    return disclosure_pb2.CatalogueEntryPublished(entry_id="e-1", title="通知", formed_on="2026-02-13", late=True)


# --- subjects ---------------------------------------------------------------------------------------------


def test_ticket_accepted_is_published_on_hotline_ticket_accepted() -> None:
    assert event_for(COUNTY, "hotline", ticket_accepted()).subject == "sunshine.510104.hotline.ticket.accepted"


def test_multi_word_aggregate_is_snake_cased() -> None:
    event = event_for(COUNTY, "disclosure", catalogue_entry_published())
    assert event.subject == "sunshine.510104.disclosure.catalogue_entry.published"


def test_township_subject_uses_its_nine_digit_division() -> None:
    township = StackIdentity(Level.TOWNSHIP, "510104001", "春熙路街道", parent_division="510104")
    assert event_for(township, "hotline", ticket_accepted()).subject == "sunshine.510104001.hotline.ticket.accepted"


def test_new_event_uses_the_given_aggregate_and_name() -> None:
    event = new_event(COUNTY, "hotline", "ticket", "reopened", ticket_accepted())
    assert event.subject == "sunshine.510104.hotline.ticket.reopened"


def test_payload_not_named_aggregate_happening_is_refused() -> None:
    with pytest.raises(ValueError, match="Envelope"):
        event_for(COUNTY, "hotline", envelope_pb2.Envelope())


# --- envelope fields --------------------------------------------------------------------------------------


def test_envelope_carries_type_division_level_producer_and_version() -> None:
    envelope = event_for(COUNTY, "hotline", ticket_accepted(), OCCURRED_AT).envelope
    assert envelope.type == "sunshine.events.v1.TicketAccepted"
    assert envelope.division == "510104"
    assert envelope.level == envelope_pb2.LEVEL_COUNTY
    assert envelope.producer == "hotline"
    assert envelope.schema_version == 1
    assert envelope.occurred_at.ToDatetime(tzinfo=UTC) == OCCURRED_AT


def test_schema_version_is_passed_through() -> None:
    event = new_event(COUNTY, "hotline", "ticket", "accepted", ticket_accepted(), schema_version=2)
    assert event.envelope.schema_version == 2


@pytest.mark.parametrize(
    ("level", "proto"),
    [
        (Level.CITY, envelope_pb2.LEVEL_CITY),
        (Level.COUNTY, envelope_pb2.LEVEL_COUNTY),
        (Level.TOWNSHIP, envelope_pb2.LEVEL_TOWNSHIP),
    ],
)
def test_envelope_level_matches_the_stack_level(level: Level, proto: int) -> None:
    identity = StackIdentity(level, "510104", "x")
    assert event_for(identity, "hotline", ticket_accepted()).envelope.level == proto


def test_occurred_at_defaults_to_now() -> None:
    before = datetime.now(UTC)
    envelope = event_for(COUNTY, "hotline", ticket_accepted()).envelope
    after = datetime.now(UTC)
    assert before <= envelope.occurred_at.ToDatetime(tzinfo=UTC) <= after


def test_event_id_is_the_envelope_id_and_differs_per_event() -> None:
    first = event_for(COUNTY, "hotline", ticket_accepted())
    second = event_for(COUNTY, "hotline", ticket_accepted())
    assert first.id == first.envelope.id
    assert uuid.UUID(first.id).version == 7
    assert first.id != second.id


# --- unpack -----------------------------------------------------------------------------------------------


def test_unpack_round_trips_the_payload() -> None:
    payload = ticket_accepted()
    assert unpack(event_for(COUNTY, "hotline", payload).envelope, hotline_pb2.TicketAccepted) == payload


def test_unpack_round_trips_a_disclosure_payload() -> None:
    payload = catalogue_entry_published()
    envelope = event_for(COUNTY, "disclosure", payload).envelope
    assert unpack(envelope, disclosure_pb2.CatalogueEntryPublished) == payload


def test_unpack_refuses_an_envelope_of_another_type() -> None:
    envelope = event_for(COUNTY, "hotline", ticket_accepted()).envelope
    with pytest.raises(ValueError, match="sunshine.events.v1.TicketAccepted, not sunshine.events.v1.CatalogueEntry"):
        unpack(envelope, disclosure_pb2.CatalogueEntryPublished)


# --- UUIDv7 ids -------------------------------------------------------------------------------------------


def test_new_event_id_is_a_canonical_uuid_version_7() -> None:
    text = new_event_id()
    value = uuid.UUID(text)
    assert value.version == 7
    assert value.variant == uuid.RFC_4122
    assert str(value) == text


def test_new_event_id_embeds_the_unix_millisecond() -> None:
    before = time.time_ns() // 1_000_000
    value = uuid.UUID(new_event_id())
    after = time.time_ns() // 1_000_000
    assert before <= value.int >> 80 <= after


def test_new_event_ids_are_unique() -> None:
    ids = [new_event_id() for _ in range(20_000)]
    assert len(set(ids)) == len(ids)


def test_new_event_ids_are_time_ordered_across_milliseconds() -> None:
    ids = []
    for _ in range(20):
        ids.append(new_event_id())
        time.sleep(0.002)
    assert ids == sorted(ids)
    assert len({uuid.UUID(i).int >> 80 for i in ids}) == len(ids)
