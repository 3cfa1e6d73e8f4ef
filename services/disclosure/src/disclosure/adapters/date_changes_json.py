"""The history of dates counted again (`DateChange`), stored as a JSON list beside the case it belongs to."""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import date

from disclosure.domain.date_changes import DateChange

_DATES = ("recomputed_on", "old", "new")


def to_json(changes: tuple[DateChange, ...]) -> str:
    return json.dumps([{**asdict(c), **{name: getattr(c, name).isoformat() for name in _DATES}} for c in changes])


def from_json(text: str) -> tuple[DateChange, ...]:
    values = json.loads(text)
    return tuple(DateChange(**{**v, **{name: date.fromisoformat(v[name]) for name in _DATES}}) for v in values)
