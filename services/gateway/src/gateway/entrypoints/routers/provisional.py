"""Provisional dates (预计, docs/working-days.md): a flag beside each date, and one note in Chinese per view."""

from __future__ import annotations

from typing import Any

from pydantic import Field
from sunshine_kit.working_days import PROVISIONAL_NOTE


def flag() -> Any:
    return Field(
        description="True when the date is provisional (预计): counted through a year whose holiday arrangement "
        "is not published yet, and recomputed when it is"
    )


def note_field() -> Any:
    return Field(description=f"「{PROVISIONAL_NOTE}」 when a date of this view is provisional; empty otherwise")


def note(*provisional: bool) -> str:
    return PROVISIONAL_NOTE if any(provisional) else ""
