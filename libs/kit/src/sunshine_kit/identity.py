"""Who this stack is: its level, division code, display name, parent and children."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum

from sunshine.events.v1 import envelope_pb2

_DIVISION_CODE = re.compile(r"[0-9]{6}(?:[0-9]{3})?")


class Level(StrEnum):
    CITY = "city"
    COUNTY = "county"
    TOWNSHIP = "township"

    def to_proto(self) -> envelope_pb2.Level.ValueType:
        return envelope_pb2.Level.Value(f"LEVEL_{self.name}")


def is_division_code(code: str) -> bool:
    """GB/T 2260 code: 6 digits for province/city/county, 9 for a township."""
    return bool(_DIVISION_CODE.fullmatch(code))


@dataclass(frozen=True)
class ChildStack:
    division: str
    name: str


@dataclass(frozen=True)
class StackIdentity:
    level: Level
    division: str
    name: str
    parent_division: str | None = None
    children: tuple[ChildStack, ...] = field(default_factory=tuple)

    def __post_init__(self) -> None:
        codes = [("division", self.division), ("parent_division", self.parent_division)]
        codes += [(f"children[{i}].division", child.division) for i, child in enumerate(self.children)]
        for label, code in codes:
            if code is not None and not is_division_code(code):
                raise ValueError(f"{label}: {code!r} is not a 6- or 9-digit division code")
