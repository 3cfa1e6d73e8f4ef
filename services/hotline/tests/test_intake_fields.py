"""What intake keeps of the text, the place and the caller's contact, whatever the channel brought."""

from __future__ import annotations

import pytest
from hotline.domain.caller import Caller, caller_for, mask_email
from hotline.domain.cross_level import received
from hotline.domain.plain_text import free_text, one_line
from hotline.domain.ticket import MAX_MEDIA_URL, Channel, TicketState
from hotline.domain.workflow import Actor
from sunshine.dispatch.v1 import hotline_pb2 as down
from sunshine_kit.timestamps import to_timestamp

from .test_ticket import ACCEPTED_AT, accept, violated_fields

CONTROLS = "".join(chr(c) for c in (*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), *range(0x7F, 0xA0)))


def test_free_text_keeps_line_breaks_and_tabs_and_drops_every_other_control_character() -> None:
    assert free_text("第一行\r\n第二行\r第三行\t完") == "第一行\n第二行\n第三行\t完"
    assert free_text(f"垃圾{CONTROLS}无人\ufffe清运\uffff") == "垃圾\n\n\n无人清运"  # VT, FF and NEL are line breaks


def test_one_line_text_gets_a_space_for_each_line_break_or_tab() -> None:
    assert one_line("春熙路\n18号\t3单元\x07") == "春熙路 18号 3单元"


@pytest.mark.parametrize("channel", [Channel.PHONE, Channel.WEB, Channel.APP, Channel.OPEN311, Channel.EMAIL])
def test_no_channel_stores_a_control_character(channel: Channel) -> None:
    ticket = accept(
        channel=channel,
        topic="施工\x1b[31m噪声",
        address="春熙路\x0018号\n3单元",
        description="夜间施工\x07噪声\r\n扰民\x0c",
        caller=Caller(name="张\x08三", phone="138\t0000\x001234", email="zhang@example.com\x7f"),
    )
    assert (ticket.topic, ticket.address) == ("施工[31m噪声", "春熙路18号 3单元")
    assert ticket.description == "夜间施工噪声\n扰民"
    assert ticket.caller == Caller(name="张三", phone="138 00001234", email="zhang@example.com")


def test_a_description_of_control_characters_only_is_empty() -> None:
    assert violated_fields(description="\x00\x07\x1b") == ["description"]


def test_work_handed_down_from_the_parent_is_cleaned_too() -> None:
    work = down.TicketHandedDown(
        origin_division="510117", origin_ticket_id="t-1", category="COMPLAINT", topic="施工噪声",
        urgency="NORMAL", place_division="510117101", address="春熙路\x0018号", description="噪声\x07扰民",
        due_at=to_timestamp(ACCEPTED_AT), caller=down.CallerContact(name="张\x1b三", phone="138"),
    )  # fmt: skip
    ticket = received(work, ACCEPTED_AT, "T-1")
    assert (ticket.address, ticket.description, ticket.caller.name) == ("春熙路18号", "噪声扰民", "张三")


def test_the_description_is_optional_for_open311_only() -> None:
    assert accept(channel=Channel.OPEN311, description="").description == ""
    assert violated_fields(channel=Channel.WEB, description="") == ["description"]


def test_coordinates_are_kept_when_both_are_given_and_in_range() -> None:
    ticket = accept(latitude=30.6574, longitude=104.0658)
    assert (ticket.latitude, ticket.longitude) == (30.6574, 104.0658)
    assert accept(latitude=-90.0, longitude=180.0).state is TicketState.ACCEPTED
    assert (accept().latitude, accept().longitude) == (None, None)


@pytest.mark.parametrize(
    ("latitude", "longitude", "field"),
    [
        (90.5, 104.0, "latitude"),
        (30.0, -180.01, "longitude"),
        (float("nan"), 104.0, "latitude"),
        (30.0, float("inf"), "longitude"),
        (30.0, None, "longitude"),
        (None, 104.0, "latitude"),
    ],
)
def test_coordinates_out_of_range_or_alone_are_refused(latitude: float, longitude: float, field: str) -> None:
    assert violated_fields(latitude=latitude, longitude=longitude) == [field]


def test_a_media_url_must_be_a_web_address() -> None:
    assert accept(media_url=" https://img.example.com/a.jpg\n").media_url == "https://img.example.com/a.jpg"
    for bad in ("javascript:alert(1)", "ftp://example.com/a.jpg", "https://", "https://a b.com/x"):
        assert violated_fields(media_url=bad) == ["media_url"], bad
    assert violated_fields(media_url="https://example.com/" + "a" * MAX_MEDIA_URL) == ["media_url"]


def test_an_email_must_look_like_one() -> None:
    assert accept(caller=Caller(email="zhang.san@example.com")).caller.email == "zhang.san@example.com"
    for bad in ("zhang", "zhang@", "@example.com", "a@b", "a b@example.com"):
        assert violated_fields(caller=Caller(email=bad)) == ["caller.email"], bad


def test_the_email_is_masked_like_any_caller_data() -> None:
    caller = Caller(name="张三", phone="13800001234", email="zhangsan@example.com")
    assert mask_email("zhangsan@example.com") == "z*******@example.com"
    assert caller_for(Actor.OPERATOR, caller, confidential=False).email == "zhangsan@example.com"
    assert caller_for(Actor.LEADER, caller, confidential=False).email == "z*******@example.com"
    assert caller_for(Actor.CITIZEN, caller, confidential=False).email == ""
    assert not Caller(email="zhangsan@example.com").is_anonymous
