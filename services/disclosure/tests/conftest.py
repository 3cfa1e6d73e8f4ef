"""Fixtures of the tests that change the calendar while cases are open (docs/working-days.md)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sunshine_kit.working_days import WorkingDayCalendar


@pytest.fixture
def override(tmp_path: Path) -> Path:
    """An override file with no year in it yet."""
    path = tmp_path / "calendar.json"
    path.write_text("{}")
    return path


@pytest.fixture
def calendar(override: Path) -> WorkingDayCalendar:
    """The calendar on that file: 2027 provisional until a test writes an arrangement."""
    return WorkingDayCalendar(override)
