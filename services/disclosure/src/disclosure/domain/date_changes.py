"""A date counted again once its year's official holiday arrangement is known (预计 → official), or its year's
schedule was corrected (docs/working-days.md): kept as a history entry and carried by the events that announce
it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sunshine.events.v1 import disclosure_pb2 as events


@dataclass(frozen=True)
class DateChange:
    """A date counted again (`recompute`): the history entry and the event's content."""

    recomputed_on: date
    name: str  # due_on, third_party_due_on, correction_due_on, pay_by, notice_earliest_end or hearing_by
    old: date
    new: date
    old_provisional: bool
    new_provisional: bool

    @classmethod
    def of(cls, on: date, name: str, old: tuple[date, bool], new: tuple[date, bool]) -> DateChange:
        """From a date and its provisional flag before and after."""
        return cls(on, name, old[0], new[0], old[1], new[1])

    def payload(self) -> events.RecomputedDate:
        return events.RecomputedDate(
            name=self.name,
            old_date=self.old.isoformat(),
            new_date=self.new.isoformat(),
            old_provisional=self.old_provisional,
            new_provisional=self.new_provisional,
        )
