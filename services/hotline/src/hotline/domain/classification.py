"""Topic classification (诉求分类建议): a suggested topic from the ticket text, for the operator to accept or not.

Multinomial naive Bayes over character unigrams and bigrams (Chinese needs no word segmenter for this), trained
from labelled tickets plus the dispatch catalogue's keywords, each keyword counted as a short example of its
topic, so a topic without labelled tickets is still reachable. Only the stack's own taxonomy counts: labels it
does not have are ignored. Advice only: below the threshold it says "no confident suggestion" rather than guess.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from hotline.domain.dispatch import DispatchCatalogue
from hotline.domain.taxonomy import Taxonomy

# Chosen by 5-fold cross-validation on the training part only (docs/hotline.md); the evaluation part was not used.
# At 0.5, about 78% of held-out folds got a suggestion and 82% of those were right.
SMOOTHING = 1.0
KEYWORD_WEIGHT = 10
SHARPNESS = 10.0
DEFAULT_THRESHOLD = 0.5
ALTERNATIVES = 3


@dataclass(frozen=True)
class LabelledText:
    text: str
    topic: str


@dataclass(frozen=True)
class TopicScore:
    topic: str
    confidence: float


@dataclass(frozen=True)
class Classification:
    alternatives: tuple[TopicScore, ...]  # best first; the first is the suggestion when confident
    threshold: float

    @property
    def topic(self) -> str | None:
        """The suggested topic, or None: no confident suggestion."""
        best = self.best
        return best.topic if best is not None and best.confidence >= self.threshold else None

    @property
    def best(self) -> TopicScore | None:
        return self.alternatives[0] if self.alternatives else None


def features(text: str) -> list[str]:
    """Characters and adjacent pairs, lower-cased, without punctuation or spaces; digits fold to 0 (a house
    number or a date says nothing of the topic)."""
    chars = ["0" if c.isdigit() else c for c in text.lower() if c.isalnum()]
    return chars + [a + b for a, b in zip(chars, chars[1:], strict=False)]


class TopicClassifier:
    def __init__(self, counts: dict[str, Counter[str]], threshold: float = DEFAULT_THRESHOLD) -> None:
        self._topics = tuple(counts)
        self._vocabulary = frozenset(f for c in counts.values() for f in c)
        self._log_probability = {topic: _log_probabilities(c, len(self._vocabulary)) for topic, c in counts.items()}
        self._unseen = {topic: _unseen_log_probability(c, len(self._vocabulary)) for topic, c in counts.items()}
        self.threshold = threshold

    @classmethod
    def train(
        cls,
        examples: Iterable[LabelledText],
        taxonomy: Taxonomy,
        catalogue: DispatchCatalogue,
        threshold: float = DEFAULT_THRESHOLD,
    ) -> TopicClassifier:
        """Topics in taxonomy order; a topic with neither examples nor keywords cannot be suggested."""
        counts: dict[str, Counter[str]] = {t.name: Counter() for t in taxonomy.topics}
        for example in examples:
            if example.topic in counts:
                counts[example.topic].update(features(example.text))
        for entry in catalogue.entries:
            if entry.topic in counts:
                for keyword in entry.keywords:
                    for _ in range(KEYWORD_WEIGHT):
                        counts[entry.topic].update(features(keyword))
        return cls({topic: c for topic, c in counts.items() if c}, threshold)

    @property
    def topics(self) -> tuple[str, ...]:
        return self._topics

    def classify(self, text: str) -> Classification:
        """Confidence: a softmax of each topic's mean log-likelihood per known feature. Naive Bayes's own
        posterior is near 0 or 1 for any text of some length, which would make a threshold meaningless."""
        known = [f for f in features(text) if f in self._vocabulary]
        if not known:
            return Classification((), self.threshold)
        means = [
            sum(self._log_probability[t].get(f, self._unseen[t]) for f in known) / len(known) for t in self._topics
        ]
        top = max(means)
        weights = [math.exp(SHARPNESS * (m - top)) for m in means]
        total = sum(weights)
        ranked = sorted(
            (TopicScore(t, w / total) for t, w in zip(self._topics, weights, strict=True)),
            key=lambda s: -s.confidence,
        )
        return Classification(tuple(ranked[:ALTERNATIVES]), self.threshold)


def _log_probabilities(counts: Counter[str], vocabulary: int) -> dict[str, float]:
    total = sum(counts.values()) + SMOOTHING * vocabulary
    return {f: math.log((n + SMOOTHING) / total) for f, n in counts.items()}


def _unseen_log_probability(counts: Counter[str], vocabulary: int) -> float:
    return math.log(SMOOTHING / (sum(counts.values()) + SMOOTHING * vocabulary))
