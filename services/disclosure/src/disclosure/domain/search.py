"""Full-text search of the catalogue for Chinese text, portable across SQLite and PostgreSQL.

Text is cut into character bigrams (one token per two adjacent characters of a run of CJK characters, letters
and digits; a one-character run is its own token). Brackets are dropped first, so a document number matches
whichever brackets the user types: 成办发〔2015〕28号, 成办发[2015]28号, 成办发［2015］28号 and 成办发(2015)28号
all give the same tokens.

Each (token, entry) posting carries an integer weight: 5 per occurrence in the document number, 3 in the title,
1 in the body, each field's count capped at 3. A query matches entries holding at least half of its distinct
tokens (rounded up): people type 改造方案 for a document titled …改造实施方案…, and the pair 造方 is in no document.
Entries rank by how many of the query's tokens they hold (so every complete match comes before any partial one),
then by score = Σ weight × idf over the tokens held, idf = round(1000 · ln(1 + N / df)); ties go to the newer
publication, then the id. Everything is integer arithmetic, so both databases rank identically.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass

_BRACKETS = re.compile(r"[〔〕\[\]［］()（）【】{}<>《》]")
_RUN = re.compile(r"[0-9a-z\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
FIELD_WEIGHTS = {"document_number": 5, "title": 3, "body": 1}
MAX_COUNTED = 3


def normalise(text: str) -> str:
    """Full-width letters and digits to ASCII, lower case, no brackets."""
    halfwidth = "".join(chr(ord(c) - 0xFEE0) if "！" <= c <= "～" else c for c in text)
    return _BRACKETS.sub("", halfwidth.lower())


def tokens(text: str) -> list[str]:
    found: list[str] = []
    for run in _RUN.findall(normalise(text)):
        found += [run] if len(run) == 1 else [run[i : i + 2] for i in range(len(run) - 1)]
    return found


def postings(fields: dict[str, str]) -> dict[str, int]:
    """Token → integer weight for one entry."""
    weights: Counter[str] = Counter()
    for name, text in fields.items():
        for token, count in Counter(tokens(text)).items():
            weights[token] += FIELD_WEIGHTS[name] * min(count, MAX_COUNTED)
    return dict(weights)


def query_tokens(query: str) -> list[str]:
    return sorted(set(tokens(query)))


def idf(entries: int, document_frequency: int) -> int:
    return round(1000 * math.log(1 + entries / max(document_frequency, 1)))


# Partial matches are drawn from at most this many postings: the work stays bounded on a large catalogue.
CANDIDATE_POSTINGS = 5_000


def required_matches(token_count: int) -> int:
    """How many of a query's distinct tokens an entry must hold to be found: half, rounded up."""
    return (token_count + 1) // 2


@dataclass(frozen=True)
class QueryPlan:
    """A query's tokens against the index's document frequencies (`frequency`: token → entries holding it, for the
    tokens some entry holds; `entries`: N)."""

    tokens: tuple[str, ...]
    frequency: dict[str, int]
    entries: int
    candidate_postings: int = CANDIDATE_POSTINGS

    @property
    def known(self) -> tuple[str, ...]:
        """The tokens some entry holds, rarest first (ties by token)."""
        return tuple(sorted((t for t in self.tokens if t in self.frequency), key=lambda t: (self.frequency[t], t)))

    @property
    def complete_possible(self) -> bool:
        return bool(self.tokens) and len(self.known) == len(self.tokens)

    @property
    def partial_possible(self) -> bool:
        return len(self.tokens) > 1 and len(self.known) >= required_matches(len(self.tokens)) and bool(self.sources)

    @property
    def essential(self) -> tuple[str, ...]:
        """The rarest tokens of which every partial match holds at least one: an entry holding none of them holds
        at most the other known tokens, which are fewer than required (MaxScore's essential lists, by count)."""
        return self.known[: len(self.known) - required_matches(len(self.tokens)) + 1]

    @property
    def sources(self) -> tuple[str, ...]:
        """The essential tokens partial matches are drawn from: rarest first, while their postings add up to at most
        `candidate_postings`. On a small catalogue that is every essential token; on a large one, a partial match
        must hold one of the query's rarer pairs, and a query whose rarest essential pair alone is too common (成办发
        2019 12号: 20, 19, 12 …) finds its complete matches only."""
        chosen, postings = [], 0
        for token in self.essential:
            postings += self.frequency[token]
            if postings > self.candidate_postings:
                break
            chosen.append(token)
        return tuple(chosen)

    def idf(self, token: str) -> int:
        return idf(self.entries, self.frequency[token])
