"""The dispatch catalogue (派单目录): which unit leads (主办) and which assist (协办) on which matters.

国办函〔2025〕66号: a matter that belongs to a department is not pushed down to a township. A child stack
(the county or township below this stack) is a dispatch target too: the ticket is handed down to it
(domain/cross_level.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from sunshine_kit.errors import NotFound, ValidationFailed


class UnitKind(StrEnum):
    DEPARTMENT = "department"  # 职能部门, e.g. 市城管局
    TOWNSHIP = "township"  # 乡镇/街道 handled within this stack
    CHILD_STACK = "child_stack"  # the stack of a division below (区县/乡镇): handed down (下派)


@dataclass(frozen=True)
class Unit:
    code: str
    name: str
    kind: UnitKind
    division: str

    @property
    def is_township(self) -> bool:
        return self.kind is UnitKind.TOWNSHIP or (self.kind is UnitKind.CHILD_STACK and len(self.division) == 9)


@dataclass(frozen=True)
class CatalogueEntry:
    topic: str
    lead: str
    assisting: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()


@dataclass(frozen=True)
class Assignment:
    lead: str
    assisting: tuple[str, ...] = ()


@dataclass(frozen=True)
class Suggestion:
    assignment: Assignment
    topic: str
    matched: tuple[str, ...] = field(default=())


@dataclass(frozen=True)
class DispatchCatalogue:
    units: tuple[Unit, ...]
    entries: tuple[CatalogueEntry, ...]

    def unit(self, code: str) -> Unit:
        for unit in self.units:
            if unit.code == code:
                return unit
        raise NotFound(f"no handling unit {code} in the dispatch catalogue")

    def suggest(self, topic: str, text: str) -> Suggestion | None:
        """The entry whose keywords occur most in the text; the topic's own entry breaks ties and is the
        fallback."""
        scored = [(sum(k in text for k in e.keywords), e.topic == topic, e) for e in self.entries]
        hits, same_topic, best = max(scored, key=lambda s: (s[0], s[1]), default=(0, False, None))
        if best is None or (hits == 0 and not same_topic):
            return None
        matched = tuple(k for k in best.keywords if k in text)
        return Suggestion(Assignment(best.lead, best.assisting), best.topic, matched)

    def for_topic(self, topic: str, text: str) -> Suggestion | None:
        """The topic's own entry, with its keywords that occur in the text; None when the topic has none."""
        entry = next((e for e in self.entries if e.topic == topic), None)
        if entry is None:
            return None
        return Suggestion(Assignment(entry.lead, entry.assisting), topic, tuple(k for k in entry.keywords if k in text))

    def check(self, topic: str, assignment: Assignment) -> None:
        """Every unit exists, the lead is not also assisting, and a department's matter stays with a department."""
        for code in (assignment.lead, *assignment.assisting):
            self.unit(code)
        if assignment.lead in assignment.assisting:
            raise ValidationFailed.field("assisting_units", "the lead unit (主办) cannot also assist (协办)")
        if self.unit(assignment.lead).is_township and self._department_matter(topic):
            raise ValidationFailed.field(
                "lead_unit", f"「{topic}」属于部门职责事项，不得下派乡镇（街道）承办 (国办函〔2025〕66号)"
            )

    def _department_matter(self, topic: str) -> bool:
        return any(e.topic == topic and self.unit(e.lead).kind is UnitKind.DEPARTMENT for e in self.entries)
