"""DisclosureService over gRPC: maps messages to use-case calls and back."""

from __future__ import annotations

from sunshine.disclosure.v1 import disclosure_pb2 as pb
from sunshine.disclosure.v1 import disclosure_pb2_grpc
from sunshine_kit.rpc.principal import current_principal, require_principal, require_service_principal

from disclosure.entrypoints import consolidated_documents, decision_messages, messages, report_documents
from disclosure.service.annual_report import AnnualReportService
from disclosure.service.catalogue import CatalogueService
from disclosure.service.decisions import DecisionService
from disclosure.service.requests import RequestService

SERVICE_NAME = pb.DESCRIPTOR.services_by_name["DisclosureService"].full_name
_FORMATS = {
    pb.REPORT_FORMAT_JSON: ("application/json", "json"),
    pb.REPORT_FORMAT_XLSX: ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
    pb.REPORT_FORMAT_HTML: ("text/html; charset=utf-8", "html"),
}
_SINGLE_UNIT = {
    pb.REPORT_FORMAT_JSON: report_documents.as_json,
    pb.REPORT_FORMAT_XLSX: report_documents.as_xlsx,
    pb.REPORT_FORMAT_HTML: report_documents.as_html,
}
_CONSOLIDATED = {
    pb.REPORT_FORMAT_JSON: consolidated_documents.as_json,
    pb.REPORT_FORMAT_XLSX: consolidated_documents.as_xlsx,
    pb.REPORT_FORMAT_HTML: consolidated_documents.as_html,
}


def _format(requested: pb.ReportFormat.ValueType) -> pb.ReportFormat.ValueType:
    return requested if requested in _FORMATS else pb.REPORT_FORMAT_JSON


class DisclosureServicer(disclosure_pb2_grpc.DisclosureServiceServicer):
    def __init__(
        self,
        catalogue: CatalogueService,
        requests: RequestService,
        reports: AnnualReportService,
        decisions: DecisionService,
    ) -> None:
        self._catalogue = catalogue
        self._requests = requests
        self._reports = reports
        self._decisions = decisions

    # --- catalogue -----------------------------------------------------------------------------------------------

    async def PublishCatalogueEntry(
        self, request: pb.PublishCatalogueEntryRequest, context: object
    ) -> pb.PublishCatalogueEntryResponse:
        content = messages.entry_content(request.content)
        entry = await self._catalogue.publish(require_principal(), content, request.interprets)
        return pb.PublishCatalogueEntryResponse(entry=messages.entry_message(entry))

    async def CreateCatalogueDraft(
        self, request: pb.CreateCatalogueDraftRequest, context: object
    ) -> pb.CreateCatalogueDraftResponse:
        content = messages.entry_content(request.content)
        entry = await self._catalogue.create_draft(require_principal(), content, request.interprets)
        return pb.CreateCatalogueDraftResponse(entry=messages.entry_message(entry))

    async def ListCatalogueDrafts(
        self, request: pb.ListCatalogueDraftsRequest, context: object
    ) -> pb.ListCatalogueDraftsResponse:
        entries = await self._catalogue.drafts(require_principal(), request.withdrawn)
        return pb.ListCatalogueDraftsResponse(entries=[messages.entry_message(e) for e in entries])

    async def EditCatalogueDraft(
        self, request: pb.EditCatalogueDraftRequest, context: object
    ) -> pb.EditCatalogueDraftResponse:
        content = messages.entry_content(request.content)
        entry = await self._catalogue.edit_draft(require_principal(), request.id, content)
        return pb.EditCatalogueDraftResponse(entry=messages.entry_message(entry))

    async def WithdrawCatalogueDraft(
        self, request: pb.WithdrawCatalogueDraftRequest, context: object
    ) -> pb.WithdrawCatalogueDraftResponse:
        entry = await self._catalogue.withdraw_draft(require_principal(), request.id, request.reason)
        return pb.WithdrawCatalogueDraftResponse(entry=messages.entry_message(entry))

    async def PublishCatalogueDraft(
        self, request: pb.PublishCatalogueDraftRequest, context: object
    ) -> pb.PublishCatalogueDraftResponse:
        entry = await self._catalogue.publish_draft(require_principal(), request.id)
        return pb.PublishCatalogueDraftResponse(entry=messages.entry_message(entry))

    async def ReviseCatalogueEntry(
        self, request: pb.ReviseCatalogueEntryRequest, context: object
    ) -> pb.ReviseCatalogueEntryResponse:
        content = messages.entry_content(request.content)
        entry = await self._catalogue.revise(require_principal(), request.id, content)
        return pb.ReviseCatalogueEntryResponse(entry=messages.entry_message(entry))

    async def RepealCatalogueEntry(
        self, request: pb.RepealCatalogueEntryRequest, context: object
    ) -> pb.RepealCatalogueEntryResponse:
        repealed_on = messages.optional_date(request.repealed_on, "repealed_on")
        entry = await self._catalogue.repeal(require_principal(), request.id, repealed_on)
        return pb.RepealCatalogueEntryResponse(entry=messages.entry_message(entry))

    async def GetCatalogueEntry(
        self, request: pb.GetCatalogueEntryRequest, context: object
    ) -> pb.GetCatalogueEntryResponse:
        entry = await self._catalogue.get(request.id)
        return pb.GetCatalogueEntryResponse(entry=messages.entry_message(entry))

    async def GetCatalogueHistory(
        self, request: pb.GetCatalogueHistoryRequest, context: object
    ) -> pb.GetCatalogueHistoryResponse:
        entry = await self._catalogue.get(request.id)
        return pb.GetCatalogueHistoryResponse(versions=[messages.version_message(entry, v) for v in entry.versions])

    async def ListInterpretations(
        self, request: pb.ListInterpretationsRequest, context: object
    ) -> pb.ListInterpretationsResponse:
        found = await self._catalogue.interpretations(request.policy_id)
        return pb.ListInterpretationsResponse(interpretations=[messages.entry_message(e) for e in found])

    async def SearchCatalogue(self, request: pb.SearchCatalogueRequest, context: object) -> pb.SearchCatalogueResponse:
        hits = await self._catalogue.search(messages.search_query(request))
        return pb.SearchCatalogueResponse(hits=[messages.hit_message(hit) for hit in hits])

    # --- requests: public ----------------------------------------------------------------------------------------

    async def SubmitRequest(self, request: pb.SubmitRequestRequest, context: object) -> pb.SubmitRequestResponse:
        submitted = await self._requests.submit(
            messages.intake(request.intake), request.idempotency_key, current_principal()
        )
        progress = messages.progress_message(submitted.request)
        return pb.SubmitRequestResponse(
            number=submitted.request.number, secret_code=submitted.code, progress=progress, replayed=submitted.replayed
        )

    async def FollowRequest(self, request: pb.FollowRequestRequest, context: object) -> pb.FollowRequestResponse:
        followed = await self._requests.follow(request.number, request.secret_code)
        return pb.FollowRequestResponse(progress=messages.progress_message(followed))

    # --- requests: staff -----------------------------------------------------------------------------------------

    async def ReceiveRequest(self, request: pb.ReceiveRequestRequest, context: object) -> pb.ReceiveRequestResponse:
        received, code = await self._requests.receive(
            require_principal(),
            messages.intake(request.intake),
            messages.channel(request.channel),
            messages.optional_date(request.received_on, "received_on"),
        )
        return pb.ReceiveRequestResponse(request=messages.request_message(received), secret_code=code)

    async def GetRequest(self, request: pb.GetRequestRequest, context: object) -> pb.GetRequestResponse:
        found = await self._requests.get(require_principal(), request.id)
        return pb.GetRequestResponse(request=messages.request_message(found))

    async def ListRequests(self, request: pb.ListRequestsRequest, context: object) -> pb.ListRequestsResponse:
        found = await self._requests.listed(require_principal(), request.state, request.limit)
        return pb.ListRequestsResponse(requests=[messages.request_message(r) for r in found])

    async def GetApplicant(self, request: pb.GetApplicantRequest, context: object) -> pb.GetApplicantResponse:
        found = await self._requests.applicant_of(require_principal(), request.id)
        return pb.GetApplicantResponse(applicant=messages.applicant_message(found.applicant))

    async def GetRedirectedApplicantContact(
        self, request: pb.GetRedirectedApplicantContactRequest, context: object
    ) -> pb.GetRedirectedApplicantContactResponse:
        applicant = await self._requests.redirected_applicant(require_service_principal(), request.id)
        return pb.GetRedirectedApplicantContactResponse(
            name=applicant.name, phone=applicant.phone, id_number=applicant.id_number
        )

    async def ActOnRequest(self, request: pb.ActOnRequestRequest, context: object) -> pb.ActOnRequestResponse:
        changed = await self._requests.act(require_principal(), request.id, messages.action(request))
        return pb.ActOnRequestResponse(request=messages.request_message(changed))

    async def DetectOverdueRequests(
        self, request: pb.DetectOverdueRequestsRequest, context: object
    ) -> pb.DetectOverdueRequestsResponse:
        flagged = await self._requests.detect_overdue(require_principal())
        return pb.DetectOverdueRequestsResponse(requests=[messages.request_message(r) for r in flagged])

    # --- major decisions -----------------------------------------------------------------------------------------

    async def OpenConsultation(
        self, request: pb.OpenConsultationRequest, context: object
    ) -> pb.OpenConsultationResponse:
        consultation = decision_messages.consultation(request.consultation)
        decision = await self._decisions.open(require_principal(), consultation)
        return pb.OpenConsultationResponse(decision=decision_messages.decision_message(decision))

    async def GetDecision(self, request: pb.GetDecisionRequest, context: object) -> pb.GetDecisionResponse:
        decision = await self._decisions.get(request.id)
        return pb.GetDecisionResponse(decision=decision_messages.decision_message(decision))

    async def ListDecisions(self, request: pb.ListDecisionsRequest, context: object) -> pb.ListDecisionsResponse:
        found = await self._decisions.listed(request.state or "consulting")
        return pb.ListDecisionsResponse(decisions=[decision_messages.decision_message(d) for d in found])

    async def SubmitComment(self, request: pb.SubmitCommentRequest, context: object) -> pb.SubmitCommentResponse:
        comment = await self._decisions.comment(request.decision_id, decision_messages.comment_draft(request))
        return pb.SubmitCommentResponse(comment_id=comment.id)

    async def ListComments(self, request: pb.ListCommentsRequest, context: object) -> pb.ListCommentsResponse:
        found = await self._decisions.comments(require_principal(), request.decision_id)
        return pb.ListCommentsResponse(comments=[decision_messages.comment_message(c) for c in found])

    async def ActOnDecision(self, request: pb.ActOnDecisionRequest, context: object) -> pb.ActOnDecisionResponse:
        action = decision_messages.decision_action(request)
        decision = await self._decisions.act(require_principal(), request.id, action)
        return pb.ActOnDecisionResponse(decision=decision_messages.decision_message(decision))

    # --- annual report -------------------------------------------------------------------------------------------

    async def RecordReportFigures(
        self, request: pb.RecordReportFiguresRequest, context: object
    ) -> pb.RecordReportFiguresResponse:
        figures = await self._reports.record_figures(require_principal(), messages.figures(request.figures))
        return pb.RecordReportFiguresResponse(figures=messages.figures_message(figures))

    async def ExportAnnualReport(
        self, request: pb.ExportAnnualReportRequest, context: object
    ) -> pb.ExportAnnualReportResponse:
        chosen = _format(request.format)
        content_type, extension = _FORMATS[chosen]
        report = await self._reports.compile(require_principal(), request.year)
        return pb.ExportAnnualReportResponse(
            content_type=content_type,
            filename=f"annual-report-{report.division}-{report.year}.{extension}",
            content=_SINGLE_UNIT[chosen](report),
        )

    async def ExportConsolidatedAnnualReport(
        self, request: pb.ExportConsolidatedAnnualReportRequest, context: object
    ) -> pb.ExportConsolidatedAnnualReportResponse:
        chosen = _format(request.format)
        content_type, extension = _FORMATS[chosen]
        report = await self._reports.consolidate(require_principal(), request.year)
        return pb.ExportConsolidatedAnnualReportResponse(
            content_type=content_type,
            filename=f"annual-report-{report.division}-{report.year}-consolidated.{extension}",
            content=_CONSOLIDATED[chosen](report),
        )
