"""Events that leave a stack upward carry no personal data: seeded markers never reach the city's roll-up."""

from __future__ import annotations

from sunshine_kit.auth.principal import Role
from sunshine_kit.levels import DISPATCH_INBOX, ROLLUP
from sunshine_kit.testing.level_network import LevelNetwork
from sunshine_kit.testing.streams import stored_messages

from tests.hotline_levels.round_trip import accept, hand_down, handle, received, stack_of, ticket_once
from tests.levels.conftest import CITY, COUNTY, TOWNSHIP_A
from tests.levels.sync_checks import wait_for_count
from tests.stack_in_process import in_process_stack

TICKETS = 5


def marked_ticket(n: int) -> dict[str, object]:
    return {
        "category": "complaint",
        "topic": "环境卫生",
        "channel": "phone",
        "place_division": TOWNSHIP_A,
        "address": f"MARKER-ADDRESS-{n} 示例路{n}号",
        "description": f"MARKER-TEXT-{n} 楼下垃圾堆放多日无人清运",
        "caller": {
            "name": f"MARKER-NAME-{n}",
            "phone": f"1390000{n:04d}",
            "id_number": f"51010019900101{n:04d}",
            "email": f"marker-{n}@example.com",
        },
    }


def markers(n: int) -> list[bytes]:
    ticket = marked_ticket(n)
    caller = ticket["caller"]
    assert isinstance(caller, dict)
    texts = [f"MARKER-ADDRESS-{n}", f"MARKER-TEXT-{n}", *caller.values()]
    return [text.encode() for text in texts]


async def test_no_personal_field_of_a_township_ticket_reaches_county_or_city(
    network: LevelNetwork, tmp_path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    township = network[TOWNSHIP_A].identity
    settings = {"division": TOWNSHIP_A, "level": "township", "parent_division": township.parent_division}
    url = network[TOWNSHIP_A].server.url
    async with in_process_stack(url, tmp_path / "township", monkeypatch, **settings) as stack:
        operator = stack.token(Role.HOTLINE_OPERATOR)
        for n in range(TICKETS):
            reply = await stack.http("POST", "/api/v1/hotline/tickets", json=marked_ticket(n), headers=operator)
            assert reply.status_code == 201, reply.text
        await wait_for_count(network[TOWNSHIP_A].js, "EVENTS", TICKETS)  # the outbox relay has published them
        local = (await network[TOWNSHIP_A].js.stream_info("EVENTS")).state.messages
        await wait_for_count(network[CITY].js, ROLLUP, local)

    for division in (COUNTY, CITY):
        messages = await stored_messages(network[division].js, ROLLUP)
        assert len(messages) >= TICKETS
        leaked = [
            (m.subject, marker)
            for m in messages
            for marker in (mk for n in range(TICKETS) for mk in markers(n))
            if marker in _raw(m)
        ]
        assert not leaked, f"personal data reached {division}: {leaked[:5]}"


def _raw(message) -> bytes:  # type: ignore[no-untyped-def]
    """Payload and headers as stored: headers come back from the API base64-decoded into a dict."""
    headers = "".join(f"{k}:{v}" for k, v in (message.headers or {}).items()).encode()
    return (message.data or b"") + headers


async def test_a_ticket_handed_down_and_handled_below_leaves_no_personal_data_in_the_city(
    network: LevelNetwork, tmp_path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    marked = {**marked_ticket(TICKETS), "topic": "邻里纠纷"}  # a township's matter, so it may be handed down
    del marked["place_division"]
    secrets = [*markers(TICKETS), b"MARKER-ANSWER"]
    async with (
        stack_of(network, COUNTY, tmp_path, monkeypatch) as county,
        stack_of(network, TOWNSHIP_A, tmp_path, monkeypatch) as township,
    ):
        origin = await accept(county, TOWNSHIP_A, **marked)
        await hand_down(county, origin["id"], TOWNSHIP_A)
        await handle(township, (await received(township, origin["id"]))["id"], answer="MARKER-ANSWER 已调解")
        await ticket_once(county, origin["id"], lambda t: t["state"] == "办结")
        await wait_for_count(network[COUNTY].js, "EVENTS", 3)  # accepted, handed down, closed
    county_js = network[COUNTY].js
    upward = sum([(await county_js.stream_info(s)).state.messages for s in ("EVENTS", ROLLUP)])
    await wait_for_count(network[CITY].js, ROLLUP, upward)

    went_down = b"".join(_raw(m) for m in await stored_messages(network[TOWNSHIP_A].js, DISPATCH_INBOX))
    assert markers(TICKETS)[0] in went_down, "the township got the address it needs to do the work"
    city = await stored_messages(network[CITY].js, ROLLUP)
    assert {m.subject.split(".")[1] for m in city} >= {COUNTY, TOWNSHIP_A}
    leaked = [(m.subject, s) for m in city for s in secrets if s in _raw(m)]
    assert not leaked, f"personal data reached the city: {leaked[:5]}"
