"""Intake volume: how many tickets each division accepted (受理), per category.

The first projection of hotline events; the indicators of domain.md §2 (及时签收率, 按时办结率, 满意率, …) are
computed the same way from the events of the rest of the closed loop.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class IntakeCount:
    division: str
    category: str
    count: int
