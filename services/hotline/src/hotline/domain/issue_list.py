"""The issue list (问题清单) of one handling unit for a period: its tickets by topic, for the unit and leadership.

A unit's tickets are those it leads (主办), accepted in the period (China days), merged ones (并单) left out:
their primary is counted. Per topic: tickets, open (受理 … 答复, 下派, 退单) and overdue (open and past the due
time in force when the list is made). A few recent summaries per topic show what callers raise, with no
caller data: confidential (保密) tickets are never sampled, the ticket's own caller's name, phone and ID number
are masked where the text repeats them, and so is every other run of 7 or more digits (phones, ID numbers).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from hotline.domain.caller import Caller, mask_id_number, mask_name, mask_phone
from hotline.domain.hotspots import Period

SUMMARY_LENGTH = 80
LONG_NUMBER = re.compile(r"\d{7,}[\dXx]?")


@dataclass(frozen=True)
class TopicIssues:
    topic: str
    tickets: int
    open: int
    overdue: int
    summaries: tuple[str, ...] = ()


@dataclass(frozen=True)
class IssueList:
    unit: str
    unit_name: str
    period: Period
    topics: tuple[TopicIssues, ...]

    @property
    def tickets(self) -> int:
        return sum(t.tickets for t in self.topics)

    @property
    def open(self) -> int:
        return sum(t.open for t in self.topics)

    @property
    def overdue(self) -> int:
        return sum(t.overdue for t in self.topics)


def summary(description: str, caller: Caller) -> str:
    """The description without caller data, cut to SUMMARY_LENGTH characters."""
    text = " ".join(description.split())
    for value, masked in (
        (caller.id_number, mask_id_number(caller.id_number)),
        (caller.phone, mask_phone(caller.phone)),
        (caller.name, mask_name(caller.name)),
    ):
        if value:
            text = text.replace(value, masked)
    text = LONG_NUMBER.sub(lambda m: _mask_number(m.group()), text)
    return text if len(text) <= SUMMARY_LENGTH else text[: SUMMARY_LENGTH - 1] + "…"


def _mask_number(number: str) -> str:
    """An ID number keeps its first and last 4, anything else is masked like a phone (138****1234, ****34)."""
    return mask_id_number(number) if len(number) >= 15 else mask_phone(number)


def by_size(topics: list[TopicIssues]) -> tuple[TopicIssues, ...]:
    """Most tickets first, then most overdue, then by topic name."""
    return tuple(sorted(topics, key=lambda t: (-t.tickets, -t.overdue, t.topic)))
