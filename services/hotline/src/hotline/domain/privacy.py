"""What each reader sees of a ticket's personal data (个人信息, 《个人信息保护法》).

The caller: see `caller.caller_for`. The place and the text: operators and handling units work with them and
see them whole; everyone else — leaders, evaluators and stack operators (here and above), and the public
(Open311) — sees the address masked after its first six characters (city and district, as disclosure masks an
applicant's address), coordinates rounded to three decimals (about 100 m, a street rather than a door), and
the description with the caller's own name, phone and ID number masked, and every other run of 7 or more digits
(phones, ID numbers typed into the text).
"""

from __future__ import annotations

import dataclasses
import re

from hotline.domain.caller import Caller, caller_for, mask_id_number, mask_name, mask_phone
from hotline.domain.ticket import Ticket
from hotline.domain.workflow import Actor

ADDRESS_KEPT = 6
COORDINATE_DECIMALS = 3
LONG_NUMBER = re.compile(r"\d{7,}[\dXx]?")
SEES_PLACE_AND_TEXT = frozenset({Actor.OPERATOR, Actor.UNIT})


def shown_to(viewer: Actor, ticket: Ticket) -> Ticket:
    """The ticket as `viewer` may see it (no pending events)."""
    caller = caller_for(viewer, ticket.caller, ticket.confidential)
    if viewer in SEES_PLACE_AND_TEXT:
        return dataclasses.replace(ticket, caller=caller, events=[])
    return dataclasses.replace(
        ticket,
        caller=caller,
        address=mask_address(ticket.address),
        latitude=_coarse(ticket.latitude),
        longitude=_coarse(ticket.longitude),
        description=mask_text(ticket.description, ticket.caller),
        events=[],
    )


def listed_to(viewer: Actor, ticket: Ticket) -> Ticket:
    """A ticket in a list: as `shown_to`, but the caller masked for every viewer."""
    shown = shown_to(viewer, ticket)
    return dataclasses.replace(shown, caller=ticket.caller.masked())


def sees_caller(viewer: Actor, ticket: Ticket) -> bool:
    """Whether `viewer` reads the caller unmasked (a read to be audited)."""
    return not ticket.caller.is_anonymous and caller_for(viewer, ticket.caller, ticket.confidential) == ticket.caller


def mask_address(address: str) -> str:
    """成都市双流区东升街道1号 → 成都市双流区*******."""
    return address[:ADDRESS_KEPT] + "*" * max(0, len(address) - ADDRESS_KEPT)


def _coarse(coordinate: float | None) -> float | None:
    return None if coordinate is None else round(coordinate, COORDINATE_DECIMALS)


def mask_text(text: str, caller: Caller) -> str:
    """The text with the caller's own data masked where it repeats them, and any other long number."""
    for value, masked in (
        (caller.id_number, mask_id_number(caller.id_number)),
        (caller.phone, mask_phone(caller.phone)),
        (caller.name, mask_name(caller.name)),
    ):
        if value:
            text = text.replace(value, masked)
    return LONG_NUMBER.sub(lambda m: _mask_number(m.group()), text)


def _mask_number(number: str) -> str:
    """An ID number keeps its first and last 4, anything else is masked like a phone (138****1234, ****34)."""
    return mask_id_number(number) if len(number) >= 15 else mask_phone(number)
