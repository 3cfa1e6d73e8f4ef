"""Reads the taxonomy and the dispatch catalogue from one JSON file (default: the shipped sample)."""

from __future__ import annotations

import json
from pathlib import Path

from sunshine_kit.identity import StackIdentity

from hotline.domain.cross_level import child_unit
from hotline.domain.dispatch import CatalogueEntry, DispatchCatalogue, Unit, UnitKind
from hotline.domain.taxonomy import Taxonomy, Topic

DEFAULT_FILE = Path(__file__).parent / "default_catalogue.json"


def load(path: Path | None, identity: StackIdentity) -> tuple[Taxonomy, DispatchCatalogue]:
    data = json.loads((path or DEFAULT_FILE).read_text(encoding="utf-8"))
    taxonomy = Taxonomy(
        tuple(Topic(t["code"], t["name"], t.get("description", ""), t.get("group", "")) for t in data["topics"])
    )
    units = tuple(_unit(u, identity.division) for u in data["units"]) + _child_stacks(identity)
    entries = tuple(
        CatalogueEntry(t["name"], t["lead"], tuple(t.get("assisting", ())), tuple(t.get("keywords", ())))
        for t in data["topics"]
        if t.get("lead")
    )
    catalogue = DispatchCatalogue(units, entries)
    for entry in entries:
        catalogue.unit(entry.lead)
    return taxonomy, catalogue


def _unit(data: dict[str, str], own_division: str) -> Unit:
    return Unit(data["code"], data["name"], UnitKind(data["kind"]), data.get("division", own_division))


def _child_stacks(identity: StackIdentity) -> tuple[Unit, ...]:
    """Each configured child stack is a dispatch target: tickets dispatched to it are handed down (下派)."""
    return tuple(Unit(child_unit(c.division), c.name, UnitKind.CHILD_STACK, c.division) for c in identity.children)
