"""The issue list (问题清单) of one handling unit for a period: its tickets by topic, for the unit and leadership.

A unit's tickets are those it leads (主办), accepted in the period (China days), merged ones (并单) left out:
their primary is counted. Per topic: tickets, open (受理 … 答复, 下派, 退单) and overdue (open and past the due
time in force when the list is made). A few recent summaries per topic show what callers raise, with no
caller data: confidential (保密) tickets are never sampled, the ticket's own caller's name, phone and ID number
are masked where the text repeats them, and so is every other run of 7 or more digits (phones, ID numbers).
"""

from __future__ import annotations

from dataclasses import dataclass

from hotline.domain.caller import Caller
from hotline.domain.hotspots import Period
from hotline.domain.privacy import mask_text

SUMMARY_LENGTH = 80


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
    """The description without caller data (privacy.mask_text), cut to SUMMARY_LENGTH characters."""
    text = mask_text(" ".join(description.split()), caller)
    return text if len(text) <= SUMMARY_LENGTH else text[: SUMMARY_LENGTH - 1] + "…"


def by_size(topics: list[TopicIssues]) -> tuple[TopicIssues, ...]:
    """Most tickets first, then most overdue, then by topic name."""
    return tuple(sorted(topics, key=lambda t: (-t.tickets, -t.overdue, t.topic)))
