"""The hierarchy of stacks the local runner starts, as described by deploy/local/hierarchy.toml."""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from pathlib import Path

from sunshine_kit.identity import ChildStack, Level, StackIdentity
from sunshine_kit.working_days import InvalidCalendarOverride, WorkingDayCalendar

DEFAULT_PORT_BASE = 18000
_LEVEL_ABOVE = {Level.COUNTY: Level.CITY, Level.TOWNSHIP: Level.COUNTY}


class HierarchyError(ValueError):
    pass


@dataclass(frozen=True)
class StackSpec:
    division: str
    level: Level
    name: str
    parent: str | None = None


@dataclass(frozen=True)
class Hierarchy:
    stacks: tuple[StackSpec, ...]
    sample_data: bool = True
    port_base: int = DEFAULT_PORT_BASE
    # The working-day calendar's override file given to every stack (docs/working-days.md).
    calendar_override_file: Path | None = None
    # Keys every stack's gateway accepts for Open311 POST requests (SUNSHINE_OPEN311_API_KEYS overrides them).
    open311_api_keys: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        divisions = [stack.division for stack in self.stacks]
        if len(set(divisions)) != len(divisions):
            raise HierarchyError(f"a division appears twice: {divisions}")
        for stack in self.stacks:
            self._check_parent(stack)

    def _check_parent(self, stack: StackSpec) -> None:
        if stack.parent is None:
            return
        parent = self.stack(stack.parent)
        if _LEVEL_ABOVE.get(stack.level) != parent.level:
            raise HierarchyError(
                f"{stack.division} ({stack.level}) cannot sit under {parent.division} ({parent.level})"
            )

    def stack(self, division: str) -> StackSpec:
        for stack in self.stacks:
            if stack.division == division:
                return stack
        raise HierarchyError(f"no stack with division {division}")

    def children(self, division: str) -> tuple[StackSpec, ...]:
        return tuple(stack for stack in self.stacks if stack.parent == division)

    def depth(self, division: str) -> int:
        parent = self.stack(division).parent
        return 0 if parent is None else 1 + self.depth(parent)

    def identity(self, division: str) -> StackIdentity:
        stack = self.stack(division)
        return StackIdentity(
            level=stack.level,
            division=stack.division,
            name=stack.name,
            parent_division=stack.parent,
            children=tuple(ChildStack(child.division, child.name) for child in self.children(division)),
        )

    def deepest_first(self) -> list[list[StackSpec]]:
        """Stacks grouped by level of the tree, children before parents (the order to stop them in)."""
        by_depth: dict[int, list[StackSpec]] = {}
        for stack in self.stacks:
            by_depth.setdefault(self.depth(stack.division), []).append(stack)
        return [by_depth[depth] for depth in sorted(by_depth, reverse=True)]


def load_hierarchy(path: Path) -> Hierarchy:
    try:
        document = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise HierarchyError(f"{path}: no such file") from None
    try:
        stacks = tuple(_stack(entry) for entry in document["stacks"])
    except (KeyError, ValueError) as error:
        raise HierarchyError(f"{path}: {error}") from None
    return Hierarchy(
        stacks=stacks,
        sample_data=document.get("sample_data", True),
        port_base=document.get("ports", {}).get("base", DEFAULT_PORT_BASE),
        calendar_override_file=_calendar_override_file(document.get("calendar_override_file", ""), path.parent),
        open311_api_keys=_api_keys(path, document.get("open311", {}).get("api_keys", [])),
    )


def _calendar_override_file(field: str, base: Path) -> Path | None:
    """The operator's SUNSHINE_CALENDAR_OVERRIDE_FILE if set, else the hierarchy's field (relative to the
    hierarchy file); checked now, so a bad file stops the run before any stack starts."""
    chosen = os.environ.get("SUNSHINE_CALENDAR_OVERRIDE_FILE") or field
    if not chosen:
        return None
    path = (base / chosen).resolve()  # an absolute path stays as it is
    try:
        WorkingDayCalendar(path)
    except InvalidCalendarOverride as error:
        raise HierarchyError(str(error)) from None
    return path


def _api_keys(path: Path, keys: object) -> tuple[str, ...]:
    if not isinstance(keys, list) or not all(isinstance(k, str) and k and "," not in k for k in keys):
        raise HierarchyError(f"{path}: [open311] api_keys must be a list of non-empty strings without commas")
    return tuple(keys)


def _stack(entry: dict[str, str]) -> StackSpec:
    stack = StackSpec(entry["division"], Level(entry["level"]), entry["name"], entry.get("parent"))
    # StackIdentity checks the shape of the division codes.
    StackIdentity(stack.level, stack.division, stack.name, stack.parent)
    return stack
