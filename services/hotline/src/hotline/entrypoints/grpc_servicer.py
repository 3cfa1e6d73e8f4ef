"""HotlineService over gRPC: maps messages to use-case calls and back."""

from __future__ import annotations

import grpc
from sunshine.hotline.v1 import hotline_pb2 as pb
from sunshine.hotline.v1 import hotline_pb2_grpc
from sunshine_kit.auth import bearer_metadata, token_from_metadata
from sunshine_kit.rpc.principal import current_principal, require_principal

from hotline.domain.disclosure_routing import Consent
from hotline.domain.issue_list import IssueList
from hotline.entrypoints import classification_messages, hotspot_messages, issue_list_workbook, messages
from hotline.service.classification import ClassificationService
from hotline.service.hand_over import HandOverService
from hotline.service.handling import HandlingService
from hotline.service.hotspots import HotspotService
from hotline.service.knowledge import KnowledgeService
from hotline.service.tickets import TicketService

SERVICE_NAME = pb.DESCRIPTOR.services_by_name["HotlineService"].full_name


class HotlineServicer(hotline_pb2_grpc.HotlineServiceServicer):
    def __init__(
        self,
        tickets: TicketService,
        handling: HandlingService,
        hotspots: HotspotService,
        knowledge: KnowledgeService,
        hand_over: HandOverService,
        classification: ClassificationService,
    ) -> None:
        self._tickets = tickets
        self._handling = handling
        self._hotspots = hotspots
        self._knowledge = knowledge
        self._hand_over = hand_over
        self._classification = classification

    async def AcceptTicket(self, request: pb.AcceptTicketRequest, context: object) -> pb.AcceptTicketResponse:
        accepted = await self._tickets.accept(require_principal(), messages.intake(request.intake))
        return pb.AcceptTicketResponse(ticket=messages.ticket(accepted.ticket))

    async def SubmitTicket(self, request: pb.SubmitTicketRequest, context: object) -> pb.SubmitTicketResponse:
        submitted = await self._tickets.submit(messages.intake(request.intake))
        return pb.SubmitTicketResponse(ticket=messages.ticket(submitted.ticket), code=submitted.code)

    async def GetTicket(self, request: pb.GetTicketRequest, context: object) -> pb.GetTicketResponse:
        ticket = await self._tickets.get(require_principal(), request.id)
        return pb.GetTicketResponse(ticket=messages.ticket(ticket))

    async def ListTickets(self, request: pb.ListTicketsRequest, context: object) -> pb.ListTicketsResponse:
        principal, query = current_principal(), messages.query(request)
        found = await (self._tickets.list(principal, query) if principal else self._tickets.list_public(query))
        return pb.ListTicketsResponse(tickets=[messages.ticket(t) for t in found])

    async def TransitionTicket(
        self, request: pb.TransitionTicketRequest, context: object
    ) -> pb.TransitionTicketResponse:
        principal = require_principal()
        ticket = await self._handling.transition(principal, request.ticket_id, messages.transition(request))
        return pb.TransitionTicketResponse(ticket=messages.ticket(self._tickets.shown(principal, ticket)))

    async def FollowTicket(self, request: pb.FollowTicketRequest, context: object) -> pb.FollowTicketResponse:
        return pb.FollowTicketResponse(ticket=messages.ticket(await self._tickets.follow(request.number, request.code)))

    async def EvaluateTicket(self, request: pb.EvaluateTicketRequest, context: object) -> pb.EvaluateTicketResponse:
        satisfaction = messages.satisfaction(request.satisfaction)
        await self._handling.evaluate_as_citizen(request.number, request.code, satisfaction)
        return pb.EvaluateTicketResponse(
            ticket=messages.ticket(await self._tickets.follow(request.number, request.code))
        )

    async def SuggestDispatch(self, request: pb.SuggestDispatchRequest, context: object) -> pb.SuggestDispatchResponse:
        suggestion = await self._tickets.suggest_dispatch(require_principal(), request.ticket_id)
        if suggestion is None:
            return pb.SuggestDispatchResponse()
        return pb.SuggestDispatchResponse(
            lead_unit=suggestion.assignment.lead,
            assisting_units=list(suggestion.assignment.assisting),
            topic=suggestion.topic,
            matched_keywords=list(suggestion.matched),
        )

    async def SuggestClassification(
        self, request: pb.SuggestClassificationRequest, context: object
    ) -> pb.SuggestClassificationResponse:
        return classification_messages.classification(self._classification.suggest(require_principal(), request.text))

    async def FindDuplicates(self, request: pb.FindDuplicatesRequest, context: object) -> pb.FindDuplicatesResponse:
        found = await self._tickets.duplicates(require_principal(), request.ticket_id)
        return pb.FindDuplicatesResponse(
            duplicates=[pb.Duplicate(ticket_id=m.ticket_id, score=m.score, reason=m.reason) for m in found]
        )

    async def ListTopics(self, request: pb.ListTopicsRequest, context: object) -> pb.ListTopicsResponse:
        topics = self._tickets.topics()
        return pb.ListTopicsResponse(
            topics=[pb.Topic(code=t.code, name=t.name, description=t.description, group=t.group) for t in topics]
        )

    async def ListUnits(self, request: pb.ListUnitsRequest, context: object) -> pb.ListUnitsResponse:
        units = self._tickets.units(require_principal())
        return pb.ListUnitsResponse(
            units=[pb.Unit(code=u.code, name=u.name, kind=u.kind.value, division=u.division) for u in units]
        )

    async def GetHotspots(self, request: pb.GetHotspotsRequest, context: object) -> pb.GetHotspotsResponse:
        found = await self._hotspots.hotspots(require_principal(), hotspot_messages.hotspot_query(request))
        return hotspot_messages.hotspots(found, self._hotspots.policy)

    async def GetIssueList(self, request: pb.GetIssueListRequest, context: object) -> pb.GetIssueListResponse:
        found = await self._issue_list(request)
        return pb.GetIssueListResponse(issue_list=hotspot_messages.issue_list(found))

    async def ExportIssueList(self, request: pb.ExportIssueListRequest, context: object) -> pb.ExportIssueListResponse:
        found = await self._issue_list(request)
        return pb.ExportIssueListResponse(
            content_type=issue_list_workbook.CONTENT_TYPE,
            filename=issue_list_workbook.filename(found),
            content=issue_list_workbook.as_xlsx(found),
        )

    async def SearchKnowledge(self, request: pb.SearchKnowledgeRequest, context: object) -> pb.SearchKnowledgeResponse:
        found = await self._knowledge.search(require_principal(), request.query, request.limit)
        return pb.SearchKnowledgeResponse(documents=[messages.document(d) for d in found])

    async def LinkDocuments(self, request: pb.LinkDocumentsRequest, context: object) -> pb.LinkDocumentsResponse:
        principal = require_principal()
        ticket = await self._knowledge.link(principal, request.ticket_id, list(request.entry_ids))
        return pb.LinkDocumentsResponse(ticket=messages.ticket(self._tickets.shown(principal, ticket)))

    async def HandOverToDisclosure(
        self, request: pb.HandOverToDisclosureRequest, context: grpc.aio.ServicerContext
    ) -> pb.HandOverToDisclosureResponse:
        principal = require_principal()
        credentials = bearer_metadata(token_from_metadata(context.invocation_metadata()) or "")
        consent = Consent(
            request.caller_consents, request.applicant_type, request.information_sought, request.applicant_address
        )
        done = await self._hand_over.hand_over(principal, credentials, request.ticket_id, consent)
        return pb.HandOverToDisclosureResponse(
            ticket=messages.ticket(self._tickets.shown(principal, done.ticket)),
            request_number=done.request.number,
            secret_code=done.request.secret_code,
        )

    async def _issue_list(self, request: pb.GetIssueListRequest | pb.ExportIssueListRequest) -> IssueList:
        first = hotspot_messages.day(request.from_day, "from_day")
        last = hotspot_messages.day(request.to_day, "to_day")
        return await self._hotspots.issue_list(require_principal(), request.unit.strip(), first, last)
