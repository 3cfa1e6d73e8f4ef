"""DisclosureService over gRPC: maps messages to use-case calls and back."""

from __future__ import annotations

from sunshine.disclosure.v1 import disclosure_pb2 as pb
from sunshine.disclosure.v1 import disclosure_pb2_grpc
from sunshine_kit.rpc.principal import require_principal
from sunshine_kit.timestamps import to_timestamp

from disclosure.domain.catalogue import CatalogueEntry, EntryDraft
from disclosure.service.catalogue import CatalogueService

SERVICE_NAME = pb.DESCRIPTOR.services_by_name["DisclosureService"].full_name


class DisclosureServicer(disclosure_pb2_grpc.DisclosureServiceServicer):
    def __init__(self, catalogue: CatalogueService) -> None:
        self._catalogue = catalogue

    async def PublishCatalogueEntry(
        self, request: pb.PublishCatalogueEntryRequest, context: object
    ) -> pb.PublishCatalogueEntryResponse:
        draft = EntryDraft(
            title=request.title,
            issuing_organ=request.issuing_organ,
            document_number=request.document_number,
            formed_on=request.formed_on,
            body=request.body,
        )
        entry = await self._catalogue.publish(require_principal(), draft)
        return pb.PublishCatalogueEntryResponse(entry=_entry_message(entry))

    async def GetCatalogueEntry(
        self, request: pb.GetCatalogueEntryRequest, context: object
    ) -> pb.GetCatalogueEntryResponse:
        return pb.GetCatalogueEntryResponse(entry=_entry_message(await self._catalogue.get(request.id)))


def _entry_message(entry: CatalogueEntry) -> pb.CatalogueEntry:
    return pb.CatalogueEntry(
        id=entry.id,
        index_number=entry.index_number,
        title=entry.title,
        issuing_organ=entry.issuing_organ,
        document_number=entry.document_number,
        formed_on=entry.formed_on.isoformat(),
        due_on=entry.due_on.isoformat(),
        published_at=to_timestamp(entry.published_at),
        late=entry.late,
        body=entry.body,
    )
