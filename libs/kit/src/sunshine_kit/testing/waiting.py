"""Waiting for an asynchronous outcome: a guard against hanging, never an assertion about speed."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable


async def wait_until(condition: Callable[[], Awaitable[bool]], within: float = 30.0, interval: float = 0.05) -> None:
    """Return once `condition()` is true; TimeoutError if it is still false after `within` seconds."""
    async with asyncio.timeout(within):
        while True:
            if await condition():
                return
            await asyncio.sleep(interval)
