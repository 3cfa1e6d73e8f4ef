"""Who is calling: the subject, its roles and the division it belongs to."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Role(StrEnum):
    DISCLOSURE_OFFICER = "disclosure_officer"
    HOTLINE_OPERATOR = "hotline_operator"
    HANDLING_UNIT = "handling_unit"
    EVALUATOR = "evaluator"
    LEADER = "leader"
    STACK_OPERATOR = "stack_operator"
    AUDITOR = "auditor"


@dataclass(frozen=True)
class Principal:
    subject: str
    roles: frozenset[Role]
    division: str
