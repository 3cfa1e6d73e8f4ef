"""Provisional dates (预计, docs/working-days.md): a flag beside each date, and one note in Chinese per view."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field
from sunshine.disclosure.v1 import disclosure_pb2 as pb
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


class RecomputedDateView(BaseModel):
    """A date counted again once its year's official holiday arrangement arrived, or its schedule changed."""

    recomputed_on: str
    name: Literal[
        "due_on", "third_party_due_on", "correction_due_on", "pay_by", "notice_earliest_end", "hearing_by"
    ]
    old_date: str
    new_date: str
    old_provisional: bool
    new_provisional: bool


def recomputed_date_view(message: pb.RecomputedDate) -> RecomputedDateView:
    return RecomputedDateView(
        recomputed_on=message.recomputed_on,
        name=message.name,  # type: ignore[arg-type]
        old_date=message.old_date,
        new_date=message.new_date,
        old_provisional=message.old_provisional,
        new_provisional=message.new_provisional,
    )
