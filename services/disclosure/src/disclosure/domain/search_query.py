"""A catalogue search as asked (public), and one hit."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sunshine_kit.errors import FieldViolation, ValidationFailed

MAX_QUERY = 100
MAX_LIMIT = 100


@dataclass(frozen=True)
class SearchQuery:
    text: str
    key_area: str = ""
    issuing_organ: str = ""
    validity: str = ""
    formed_from: date | None = None
    formed_to: date | None = None
    limit: int = 20
    offset: int = 0

    def validated(self) -> SearchQuery:
        checks = [
            (not self.text.strip(), "q", "type what to search for"),
            (len(self.text) > MAX_QUERY, "q", f"at most {MAX_QUERY} characters"),
            (not 1 <= self.limit <= MAX_LIMIT, "limit", f"1 to {MAX_LIMIT}"),
            (self.offset < 0, "offset", "must not be negative"),
        ]
        violations = [FieldViolation(name, text) for failed, name, text in checks if failed]
        if violations:
            raise ValidationFailed(*violations)
        return self


@dataclass(frozen=True)
class Hit:
    entry_id: str
    score: int
    title: str
    document_number: str
    issuing_organ: str
    key_area: str
    validity: str
    formed_on: date
    # Holds only some of the query's tokens (domain/search.py): ranked after every complete match.
    partial: bool = False
