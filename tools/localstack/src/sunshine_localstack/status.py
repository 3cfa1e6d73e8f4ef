"""`sunshine-local status`: what var/local/hierarchy.json says is running, and whether it is ready."""

from __future__ import annotations

import asyncio
import json
import os
import unicodedata
from pathlib import Path
from typing import Any

import httpx

from sunshine_localstack.readiness import Readiness, probe_readyz

COLUMNS = ("DIVISION", "LEVEL", "NAME", "GATEWAY", "READYZ", "PROCESSES", "NOT READY")


def print_status(description_path: Path) -> int:
    """Prints one row per stack; returns 0 when every stack is ready."""
    try:
        description = json.loads(description_path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        print(f"no local hierarchy is running ({description_path} not found)")
        return 1
    stacks = description["stacks"]
    answers = asyncio.run(_probe_all(stacks))
    rows = [_row(stack, answer) for stack, answer in zip(stacks, answers, strict=True)]
    print(_table([COLUMNS, *rows]))
    if description.get("sample_data"):
        print("样例数据 / sample data: the names are invented and stand for no real government")
    return 0 if all(answer.ready for answer in answers) else 1


async def _probe_all(stacks: list[dict[str, Any]]) -> list[Readiness]:
    async with httpx.AsyncClient() as client:
        return await asyncio.gather(*(_probe(client, stack) for stack in stacks))


async def _probe(client: httpx.AsyncClient, stack: dict[str, Any]) -> Readiness:
    if stack["gateway_url"] is None:
        return Readiness(None, error="no gateway (--nats-only)")
    return await probe_readyz(client, stack["gateway_url"])


def _row(stack: dict[str, Any], answer: Readiness) -> tuple[str, ...]:
    pids = stack["pids"]
    alive = sum(_alive(pid) for pid in pids.values())
    return (
        stack["division"],
        stack["level"],
        stack["name"],
        stack["gateway_url"] or "-",
        str(answer.status or "-"),
        f"{alive}/{len(pids)} alive",
        "" if answer.ready else answer.explain(),
    )


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def _table(rows: list[tuple[str, ...]]) -> str:
    widths = [max(_width(row[column]) for row in rows) for column in range(len(rows[0]))]
    return "\n".join(
        "  ".join(cell + " " * (width - _width(cell)) for cell, width in zip(row, widths, strict=True)).rstrip()
        for row in rows
    )


def _width(text: str) -> int:
    """Terminal columns: CJK characters take two."""
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)
