"""The disclosure service (政务公开) as the hotline uses it, over gRPC: the catalogue as the knowledge base, and
the submission of a disclosure request for a call handed over.

A disclosure service that does not answer (down, or slower than the deadline) raises DependencyUnavailable
with a message saying, in Chinese and English, what is unavailable; the hotline's own work goes on. The applicant
of a redirected request is read with the hotline's own service token (service identity), not a staff token.
"""

from __future__ import annotations

from dataclasses import dataclass

from sunshine.disclosure.v1 import disclosure_pb2 as pb
from sunshine.disclosure.v1 import disclosure_pb2_grpc
from sunshine_kit.errors import DependencyUnavailable, NotFound, ValidationFailed
from sunshine_kit.rpc.client import ServiceChannel, call

from hotline.domain.caller import Caller
from hotline.domain.disclosure_routing import Application
from hotline.domain.knowledge import Document

KNOWLEDGE_UNAVAILABLE = (
    "知识库暂不可用：政务公开服务无法连接，请稍后再试；受理工单不受影响 / "
    "The knowledge base is unavailable: the disclosure service cannot be reached. Try again later; "
    "accepting tickets still works."
)
HAND_OVER_UNAVAILABLE = (
    "政务公开服务暂不可用，未能转为政府信息公开申请，工单保持受理状态，请稍后再试 / "
    "The disclosure service is unavailable: the call was not handed over and the ticket stays accepted. "
    "Try again later."
)


IDEMPOTENCY_KEY = "idempotency_key"
HAND_OVER_DIFFERS = (
    "本来电此前已以不同的内容转为政府信息公开申请，请按原内容（申请内容、地址、申请人类型）重试 / "
    "This call was already submitted as a disclosure request with other details: retry the hand-over with the "
    "same information sought, address and applicant type."
)


@dataclass(frozen=True)
class SubmittedRequest:
    number: str
    # The applicant follows the request with it; the disclosure service shows it once. On a replay (the same
    # hand-over submitted again) it is a new code and the earlier one no longer works.
    secret_code: str
    # The request had been submitted already (by an earlier attempt of this hand-over).
    replayed: bool = False


class DisclosureClient:
    def __init__(self, channel: ServiceChannel) -> None:
        self._channel = channel

    @property
    def _stub(self) -> disclosure_pb2_grpc.DisclosureServiceStub:
        return self._channel.stub(disclosure_pb2_grpc.DisclosureServiceStub)

    async def search(self, query: str, limit: int) -> list[Document]:
        """The public catalogue search, best first."""
        request = pb.SearchCatalogueRequest(query=query, limit=limit)
        try:
            reply = await call(self._stub.SearchCatalogue, request)
        except DependencyUnavailable as error:
            raise DependencyUnavailable(KNOWLEDGE_UNAVAILABLE) from error
        return [
            Document(h.entry_id, h.title, h.document_number, h.issuing_organ, h.validity, h.formed_on, h.score)
            for h in reply.hits
        ]

    async def document(self, entry_id: str) -> Document:
        """One published or repealed entry; an unknown id (or a draft) is the caller's mistake."""
        try:
            entry = (await call(self._stub.GetCatalogueEntry, pb.GetCatalogueEntryRequest(id=entry_id))).entry
        except DependencyUnavailable as error:
            raise DependencyUnavailable(KNOWLEDGE_UNAVAILABLE) from error
        except NotFound:
            raise ValidationFailed.field("entry_ids", f"no published catalogue entry {entry_id}") from None
        content = entry.content
        return Document(
            entry.id, content.title, content.document_number, content.issuing_organ, entry.validity, content.formed_on
        )

    async def submit_request(self, application: Application, metadata: tuple[tuple[str, str], ...]) -> SubmittedRequest:
        """Submit the request as the operator (their token in `metadata`); it awaits the office's confirmation
        with the applicant, as any request not received in person (Art. 31)."""
        applicant = pb.Applicant(
            type=_applicant_type(application.applicant_type),
            name=application.name,
            phone=application.phone,
            id_number=application.id_number,
            address=application.address,
        )
        intake = pb.RequestIntake(applicant=applicant, description=application.information_sought)
        request = pb.SubmitRequestRequest(intake=intake, idempotency_key=application.idempotency_key)
        try:
            reply = await call(self._stub.SubmitRequest, request, metadata)
        except DependencyUnavailable as error:
            raise DependencyUnavailable(HAND_OVER_UNAVAILABLE) from error
        except ValidationFailed as error:
            if any(v.field == IDEMPOTENCY_KEY for v in error.violations):
                raise ValidationFailed.field(IDEMPOTENCY_KEY, HAND_OVER_DIFFERS) from error
            raise
        return SubmittedRequest(reply.number, reply.secret_code, reply.replayed)

    async def redirected_applicant(self, request_id: str, metadata: tuple[tuple[str, str], ...]) -> Caller:
        """The contact of a request redirected to the hotline, as the disclosure service holds it; `metadata`
        carries the hotline's service token (the only caller the disclosure service grants this)."""
        request = pb.GetRedirectedApplicantContactRequest(id=request_id)
        reply = await call(self._stub.GetRedirectedApplicantContact, request, metadata)
        return Caller(reply.name, reply.phone, reply.id_number)


def _applicant_type(code: str) -> int:
    try:
        return pb.ApplicantType.Value(f"APPLICANT_TYPE_{code.upper()}")
    except ValueError:
        names = (n.removeprefix("APPLICANT_TYPE_").lower() for n in pb.ApplicantType.keys()[1:])
        raise ValidationFailed.field("applicant_type", f"{code!r} is not one of {', '.join(names)}") from None
