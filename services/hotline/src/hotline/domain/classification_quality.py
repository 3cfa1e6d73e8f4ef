"""How good a topic suggestion is on labelled tickets: precision, recall and F1 per topic, macro averages.

A ticket without a suggestion ("no confident suggestion", or no keyword matched) counts against the recall of
its true topic and against no topic's precision: saying nothing is not a wrong suggestion, but it is no help.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class TopicQuality:
    topic: str
    support: int  # tickets whose true topic this is
    suggested: int  # tickets for which this topic was suggested
    correct: int

    @property
    def precision(self) -> float:
        return self.correct / self.suggested if self.suggested else 0.0

    @property
    def recall(self) -> float:
        return self.correct / self.support if self.support else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass(frozen=True)
class Quality:
    topics: tuple[TopicQuality, ...]
    tickets: int
    answered: int  # tickets that got a suggestion

    @property
    def accuracy(self) -> float:
        """Correct suggestions over all tickets (a missing suggestion is a miss)."""
        return sum(t.correct for t in self.topics) / self.tickets if self.tickets else 0.0

    @property
    def coverage(self) -> float:
        return self.answered / self.tickets if self.tickets else 0.0

    @property
    def macro_precision(self) -> float:
        return _mean(t.precision for t in self.topics)

    @property
    def macro_recall(self) -> float:
        return _mean(t.recall for t in self.topics)

    @property
    def macro_f1(self) -> float:
        return _mean(t.f1 for t in self.topics)


def quality(outcomes: Iterable[tuple[str, str | None]], topics: Iterable[str]) -> Quality:
    """Outcomes are (true topic, suggested topic or None); topics name the rows, in order."""
    pairs = list(outcomes)
    rows = tuple(
        TopicQuality(
            topic,
            support=sum(truth == topic for truth, _ in pairs),
            suggested=sum(suggested == topic for _, suggested in pairs),
            correct=sum(truth == topic == suggested for truth, suggested in pairs),
        )
        for topic in topics
    )
    return Quality(rows, len(pairs), sum(suggested is not None for _, suggested in pairs))


def _mean(values: Iterable[float]) -> float:
    listed = list(values)
    return sum(listed) / len(listed) if listed else 0.0
