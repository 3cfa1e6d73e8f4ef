"""The figures the stacks below entered for their annual reports, fed by ReportFiguresRecorded from the roll-up,
for the consolidated tables 二 and 四. The latest record of a division and year wins; the handler runs inside
the inbox's transaction, so a redelivered event changes nothing.
"""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncSession
from sunshine.events.v1.disclosure_pb2 import ReportFiguresRecorded
from sunshine.events.v1.envelope_pb2 import Envelope
from sunshine_kit.envelope import unpack
from sunshine_kit.timestamps import from_timestamp

from disclosure.adapters.figures_below_repository import FiguresBelowRepository
from disclosure.domain.annual_report import ReportFigures


async def on_recorded(session: AsyncSession, envelope: Envelope) -> None:
    recorded = unpack(envelope, ReportFiguresRecorded)
    figures = ReportFigures(
        recorded.year,
        recorded.licensing_decisions,
        recorded.penalty_decisions,
        recorded.enforcement_decisions,
        Decimal(recorded.fees_ten_thousand_yuan),
        tuple(recorded.review_and_litigation),
    )
    await FiguresBelowRepository(session).record(envelope.division, figures, from_timestamp(recorded.recorded_at))
