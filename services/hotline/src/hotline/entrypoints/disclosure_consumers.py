"""The hotline's consumer of the disclosure service's events on this stack's EVENTS: requests redirected to the
hotline as complaints (Art. 39)."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession
from sunshine.events.v1.disclosure_pb2 import DisclosureRequestRedirected
from sunshine.events.v1.envelope_pb2 import Envelope
from sunshine_kit.envelope import event_subject, unpack
from sunshine_kit.runtime import Handler, ServiceRuntime

from hotline.service.redirected import RedirectedComplaints

REDIRECTED = "hotline-disclosure-redirected"


def register(runtime: ServiceRuntime, complaints: RedirectedComplaints) -> None:
    subject = event_subject(runtime.identity.division, "disclosure", "disclosure_request", "redirected")
    runtime.add_consumer(REDIRECTED, subject, _receiver(complaints))


def _receiver(complaints: RedirectedComplaints) -> Handler:
    async def receive(session: AsyncSession, envelope: Envelope) -> None:
        await complaints.receive(session, unpack(envelope, DisclosureRequestRedirected))

    return receive
