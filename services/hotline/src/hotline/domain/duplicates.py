"""Likely duplicates (疑似重复, 并单): the same caller, or the same place with similar text, within a window.

Text similarity is the Dice coefficient of the two texts' character bigrams (Chinese has no spaces; bigrams
catch most shared words), after dropping whitespace and punctuation.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta

SAME_CALLER = "same_caller"
SIMILAR_TEXT = "similar_text"


def bigrams(text: str) -> Counter[str]:
    kept = "".join(c for c in text if not unicodedata.category(c).startswith(("P", "Z", "S", "C")))
    return Counter(kept[i : i + 2] for i in range(len(kept) - 1))


def similarity(a: str, b: str) -> float:
    """Dice coefficient over character-bigram multisets, 0..1."""
    grams_a, grams_b = bigrams(a), bigrams(b)
    total = sum(grams_a.values()) + sum(grams_b.values())
    return 2 * sum((grams_a & grams_b).values()) / total if total else 0.0


@dataclass(frozen=True)
class Candidate:
    """A stored ticket the new one may repeat."""

    ticket_id: str
    accepted_at: datetime
    place_division: str
    text: str
    caller_key: str | None


@dataclass(frozen=True)
class Match:
    ticket_id: str
    score: float
    reason: str


@dataclass(frozen=True)
class DuplicateRule:
    window: timedelta = timedelta(days=7)
    threshold: float = 0.5

    def matches(
        self, text: str, place_division: str, caller_key: str | None, at: datetime, candidates: list[Candidate]
    ) -> list[Match]:
        """Best first; only candidates inside the window."""
        recent = [c for c in candidates if at - c.accepted_at <= self.window]
        found = [self._match(text, place_division, caller_key, c) for c in recent]
        return sorted((m for m in found if m is not None), key=lambda m: -m.score)

    def _match(self, text: str, place_division: str, caller_key: str | None, candidate: Candidate) -> Match | None:
        score = round(similarity(text, candidate.text), 3)
        if caller_key is not None and caller_key == candidate.caller_key:
            return Match(candidate.ticket_id, score, SAME_CALLER)
        if candidate.place_division == place_division and score >= self.threshold:
            return Match(candidate.ticket_id, score, SIMILAR_TEXT)
        return None
