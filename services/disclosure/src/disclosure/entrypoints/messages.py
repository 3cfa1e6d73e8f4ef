"""Protobuf messages <-> domain objects. Staff views mask the applicant; only GetApplicant shows it whole."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation

from sunshine.disclosure.v1 import disclosure_pb2 as pb
from sunshine_kit.errors import ValidationFailed
from sunshine_kit.timestamps import to_timestamp

from disclosure.domain.annual_report import ReportFigures
from disclosure.domain.applicants import Applicant, ApplicantType, Channel
from disclosure.domain.catalogue import CatalogueEntry, PublishedVersion
from disclosure.domain.catalogue_content import OTHER_FORCE_LEVEL, Attachment, EntryContent
from disclosure.domain.date_changes import DateChange
from disclosure.domain.disclosure_request import DisclosureRequest, Intake
from disclosure.domain.fees import FeeNotice
from disclosure.domain.search_query import Hit, SearchQuery
from disclosure.service.requests import Action

DEFAULT_CHANNELS = EntryContent.channels


def entry_message(entry: CatalogueEntry) -> pb.CatalogueEntry:
    message = pb.CatalogueEntry(
        id=entry.id,
        index_number=entry.index_number,
        content=content_message(entry.content),
        due_on=entry.due_on.isoformat(),
        due_on_provisional=entry.due_on_provisional,
        late=entry.late,
        validity=entry.validity,
        state=str(entry.state),
        version=entry.version,
        repealed_on=_iso(entry.repealed_on),
        interprets=entry.interprets,
        withdrawn_on=_iso(entry.withdrawn_on),
        withdrawal_reason=entry.withdrawal_reason,
    )
    if entry.published_at is not None:
        message.published_at.CopyFrom(to_timestamp(entry.published_at))
    return message


def version_message(entry: CatalogueEntry, version: PublishedVersion) -> pb.CatalogueVersion:
    return pb.CatalogueVersion(
        version=version.number,
        content=content_message(version.content),
        due_on=version.due_on.isoformat(),
        published_at=to_timestamp(version.published_at),
        late=version.late,
        validity=entry.validity_of(version),
        due_on_provisional=version.due_on_provisional,
    )


def content_message(content: EntryContent) -> pb.EntryContent:
    return pb.EntryContent(
        title=content.title,
        issuing_organ=content.issuing_organ,
        document_number=content.document_number,
        formed_on=content.formed_on,
        body=content.body,
        force_level=content.force_level,
        key_area=content.key_area,
        summary=content.summary,
        category=content.category,
        channels=list(content.channels),
        in_force_on=content.in_force_on,
        attachments=[pb.Attachment(name=a.name, reference=a.reference) for a in content.attachments],
    )


def entry_content(message: pb.EntryContent) -> EntryContent:
    return EntryContent(
        title=message.title,
        issuing_organ=message.issuing_organ,
        document_number=message.document_number,
        formed_on=message.formed_on,
        body=message.body,
        force_level=message.force_level or OTHER_FORCE_LEVEL,
        key_area=message.key_area,
        summary=message.summary,
        category=message.category,
        channels=tuple(message.channels) or DEFAULT_CHANNELS,
        in_force_on=message.in_force_on,
        attachments=tuple(Attachment(a.name, a.reference) for a in message.attachments),
    )


def search_query(message: pb.SearchCatalogueRequest) -> SearchQuery:
    return SearchQuery(
        text=message.query,
        key_area=message.key_area,
        issuing_organ=message.issuing_organ,
        validity=message.validity,
        formed_from=optional_date(message.formed_from, "formed_from"),
        formed_to=optional_date(message.formed_to, "formed_to"),
        limit=message.limit or 20,
        offset=message.offset,
    )


def hit_message(hit: Hit) -> pb.SearchHit:
    return pb.SearchHit(
        entry_id=hit.entry_id,
        score=hit.score,
        title=hit.title,
        document_number=hit.document_number,
        issuing_organ=hit.issuing_organ,
        key_area=hit.key_area,
        validity=hit.validity,
        formed_on=hit.formed_on.isoformat(),
        partial=hit.partial,
    )


def _member(enum_type: type, value: int, prefix: str):  # type: ignore[no-untyped-def]
    name = enum_type.Name(value).removeprefix(prefix) if value in enum_type.values() else ""
    return name.lower() or None


def intake(message: pb.RequestIntake) -> Intake:
    code = _member(pb.ApplicantType, message.applicant.type, "APPLICANT_TYPE_")
    applicant = Applicant(
        type=ApplicantType(code) if code in ApplicantType.__members__.values() else None,
        name=message.applicant.name,
        phone=message.applicant.phone,
        id_number=message.applicant.id_number,
        address=message.applicant.address,
    )
    return Intake(applicant, message.description)


def channel(value: int) -> Channel | None:
    code = _member(pb.RequestChannel, value, "REQUEST_CHANNEL_")
    return Channel(code) if code in Channel.__members__.values() else None


def optional_date(text: str, field: str) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValidationFailed.field(field, "must be a date YYYY-MM-DD") from None


def action(message: pb.ActOnRequestRequest) -> Action:
    return Action(
        name=message.action,
        on=optional_date(message.on, "on"),
        days=message.days,
        approver=message.approver,
        outcome=message.outcome,
        reason=message.reason,
        fee_basis=message.fee_basis,
        quantity=message.quantity,
    )


def applicant_message(applicant: Applicant) -> pb.Applicant:
    return pb.Applicant(
        type=pb.ApplicantType.Value(f"APPLICANT_TYPE_{str(applicant.type).upper()}"),
        name=applicant.name,
        phone=applicant.phone,
        id_number=applicant.id_number,
        address=applicant.address,
    )


def _iso(day: date | None) -> str:
    return day.isoformat() if day else ""


def fee_message(fee: FeeNotice | None) -> pb.FeeNotice | None:
    if fee is None:
        return None
    return pb.FeeNotice(
        basis=str(fee.basis),
        quantity=fee.quantity,
        earlier_items=fee.earlier_items,
        amount_yuan=fee.amount_yuan,
        notified_on=fee.notified_on.isoformat(),
        pay_by=fee.pay_by.isoformat(),
        pay_by_provisional=fee.pay_by_provisional,
        paid_on=_iso(fee.paid_on),
        lapsed=fee.lapsed,
    )


def request_message(request: DisclosureRequest) -> pb.DisclosureRequest:
    return pb.DisclosureRequest(
        id=request.id,
        number=request.number,
        applicant=applicant_message(request.applicant.masked()),
        channel=pb.RequestChannel.Value(f"REQUEST_CHANNEL_{str(request.channel).upper()}"),
        description=request.description,
        state=str(request.state),
        received_on=_iso(request.received_on),
        clock_started_on=_iso(request.clock_started_on),
        due_on=_iso(request.due_on),
        due_on_provisional=request.due_on_provisional,
        correction_asked_on=_iso(request.correction_asked_on),
        correction_period_days=request.correction_period_days,
        correction_due_on=_iso(request.correction_due_on),
        correction_due_provisional=request.correction_due_provisional,
        corrected_on=_iso(request.corrected_on),
        extension_days=request.extension_days,
        extension_approver=request.extension_approver,
        consultation_started_on=_iso(request.consultation_started_on),
        third_party_due_on=_iso(request.third_party_due_on),
        third_party_due_provisional=request.third_party_due_provisional,
        consultation_lapsed_on=_iso(request.consultation_lapsed_on),
        paused_working_days=request.paused_working_days,
        answered_on=_iso(request.answered_on),
        outcome=request.outcome.code if request.outcome else "",
        outcome_reason=request.outcome_reason,
        overdue=request.overdue,
        answered_late=request.answered_late,
        submitted_at=to_timestamp(request.submitted_at),
        fee=fee_message(request.fee),
        recomputations=[recomputed_date(change) for change in request.recomputations],
    )


def recomputed_date(change: DateChange) -> pb.RecomputedDate:
    return pb.RecomputedDate(
        recomputed_on=change.recomputed_on.isoformat(),
        name=change.name,
        old_date=change.old.isoformat(),
        new_date=change.new.isoformat(),
        old_provisional=change.old_provisional,
        new_provisional=change.new_provisional,
    )


def progress_message(request: DisclosureRequest) -> pb.RequestProgress:
    return pb.RequestProgress(
        number=request.number,
        state=str(request.state),
        received_on=_iso(request.received_on),
        due_on=_iso(request.due_on),
        due_on_provisional=request.due_on_provisional,
        correction_due_on=_iso(request.correction_due_on),
        correction_due_provisional=request.correction_due_provisional,
        answered_on=_iso(request.answered_on),
        outcome=request.outcome.code if request.outcome else "",
        outcome_reason=request.outcome_reason,
        fee=fee_message(request.fee),
    )


def figures(message: pb.ReportFigures) -> ReportFigures:
    try:
        fees = Decimal(message.fees_ten_thousand_yuan or "0")
    except InvalidOperation:
        raise ValidationFailed.field("fees_ten_thousand_yuan", "a decimal number, e.g. 12.5") from None
    return ReportFigures(
        year=message.year,
        licensing_decisions=message.licensing_decisions,
        penalty_decisions=message.penalty_decisions,
        enforcement_decisions=message.enforcement_decisions,
        fees_ten_thousand_yuan=fees,
        review_and_litigation=tuple(message.review_and_litigation) or (0,) * 15,
    )


def figures_message(figures: ReportFigures) -> pb.ReportFigures:
    return pb.ReportFigures(
        year=figures.year,
        licensing_decisions=figures.licensing_decisions,
        penalty_decisions=figures.penalty_decisions,
        enforcement_decisions=figures.enforcement_decisions,
        fees_ten_thousand_yuan=str(figures.fees_ten_thousand_yuan),
        review_and_litigation=list(figures.review_and_litigation),
    )
