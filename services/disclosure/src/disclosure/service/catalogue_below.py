"""The catalogue entries of the stacks below, fed by their catalogue events from the roll-up, for the
consolidated table 二 (规章 and 行政规范性文件: formed, repealed, in force).

As the single-unit table 二, an entry counts by its first version's date formed (only the publication carries
it) and its current force level: each event passes the version that set the force level, and a repeal, after
which nothing changes, outranks every version. Handlers run inside the inbox's transaction.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession
from sunshine.events.v1.disclosure_pb2 import CatalogueEntryPublished, CatalogueEntryRepealed, CatalogueEntryRevised
from sunshine.events.v1.envelope_pb2 import Envelope
from sunshine_kit.envelope import unpack

from disclosure.adapters.catalogue_below_repository import CatalogueBelowRepository

REPEAL_VERSION = 2**31 - 1  # a repealed entry is never revised again: its force level is the last word


async def on_published(session: AsyncSession, envelope: Envelope) -> None:
    published = unpack(envelope, CatalogueEntryPublished)
    await CatalogueBelowRepository(session).record(
        published.entry_id,
        envelope.division,
        published.force_level,
        1,
        formed_on=date.fromisoformat(published.formed_on),
    )


async def on_revised(session: AsyncSession, envelope: Envelope) -> None:
    revised = unpack(envelope, CatalogueEntryRevised)
    await CatalogueBelowRepository(session).record(
        revised.entry_id, envelope.division, revised.force_level, revised.version
    )


async def on_repealed(session: AsyncSession, envelope: Envelope) -> None:
    repealed = unpack(envelope, CatalogueEntryRepealed)
    await CatalogueBelowRepository(session).record(
        repealed.entry_id,
        envelope.division,
        repealed.force_level,
        REPEAL_VERSION,
        repealed_on=date.fromisoformat(repealed.repealed_on),
    )
