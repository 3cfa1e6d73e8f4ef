"""The requests of the stacks below, fed by their request events from the roll-up.

Handlers run inside the inbox's transaction, so the projection and the processed event id commit together.
Receipt and answer both carry the applicant column and the date of receipt, so the projection is the same
whichever of the two arrives first.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession
from sunshine.events.v1.disclosure_pb2 import DisclosureRequestAnswered, DisclosureRequestReceived
from sunshine.events.v1.envelope_pb2 import Envelope
from sunshine_kit.envelope import unpack

from disclosure.adapters.requests_below_repository import RequestsBelowRepository
from disclosure.domain.annual_report import RequestFacts
from disclosure.domain.applicants import ApplicantType


async def on_received(session: AsyncSession, envelope: Envelope) -> None:
    received = unpack(envelope, DisclosureRequestReceived)
    facts = RequestFacts(ApplicantType(received.applicant_type), date.fromisoformat(received.received_on), None, None)
    await RequestsBelowRepository(session).record_received(received.request_id, envelope.division, facts)


async def on_answered(session: AsyncSession, envelope: Envelope) -> None:
    answered = unpack(envelope, DisclosureRequestAnswered)
    facts = RequestFacts(
        ApplicantType(answered.applicant_type),
        date.fromisoformat(answered.received_on),
        date.fromisoformat(answered.answered_on),
        answered.outcome,
    )
    await RequestsBelowRepository(session).record_answered(answered.request_id, envelope.division, facts)
