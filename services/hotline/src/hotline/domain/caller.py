"""The caller (来电人/诉求人): personal information (《个人信息保护法》), shown only to those who need it.

Operators (话务员) see the caller in full: they call back. A handling unit sees the caller in full so it can
contact them, unless the caller asked for confidentiality (保密). Everyone else sees masked values; a citizen
following a ticket sees no caller data at all.
"""

from __future__ import annotations

from dataclasses import dataclass

from hotline.domain.plain_text import one_line
from hotline.domain.workflow import Actor


@dataclass(frozen=True)
class Caller:
    name: str = ""
    phone: str = ""
    id_number: str = ""
    email: str = ""

    @property
    def is_anonymous(self) -> bool:
        return not (self.name or self.phone or self.id_number or self.email)

    def masked(self) -> Caller:
        return Caller(
            mask_name(self.name), mask_phone(self.phone), mask_id_number(self.id_number), mask_email(self.email)
        )

    def cleaned(self) -> Caller:
        """As taken in: one line each (plain_text), no surrounding spaces."""
        return Caller(*(one_line(value).strip() for value in (self.name, self.phone, self.id_number, self.email)))


def mask_name(name: str) -> str:
    """张三 → 张*, 欧阳娜娜 → 欧***."""
    return name[:1] + "*" * (len(name) - 1) if name else ""


def mask_phone(phone: str) -> str:
    """13800001234 → 138****1234; shorter numbers keep only their last 2 digits."""
    if len(phone) >= 11:
        return phone[:3] + "*" * (len(phone) - 7) + phone[-4:]
    return "*" * max(len(phone) - 2, 0) + phone[-2:] if phone else ""


def mask_id_number(id_number: str) -> str:
    """510104199001011234 → 5101**********1234."""
    if len(id_number) <= 8:
        return "*" * len(id_number)
    return id_number[:4] + "*" * (len(id_number) - 8) + id_number[-4:]


def mask_email(email: str) -> str:
    """zhangsan@example.com → z*******@example.com: the domain says which provider, not who."""
    local, at, domain = email.partition("@")
    return local[:1] + "*" * (len(local) - 1) + at + domain if email else ""


def caller_for(viewer: Actor, caller: Caller, confidential: bool) -> Caller:
    """What this viewer may see of the caller."""
    if viewer is Actor.OPERATOR:
        return caller
    if viewer is Actor.UNIT and not confidential:
        return caller
    if viewer in (Actor.CITIZEN, Actor.SYSTEM):
        return Caller()
    return caller.masked()
