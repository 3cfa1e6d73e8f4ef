"""Disclosure on request (依申请公开): submitting and following one's own request (public), recording requests
received by any channel, and every step of handling them (staff)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Header, Query, Request
from pydantic import BaseModel, Field
from sunshine.disclosure.v1 import disclosure_pb2 as pb
from sunshine_kit.auth import Role
from sunshine_kit.rpc.client import call
from sunshine_kit.timestamps import from_timestamp

from gateway.entrypoints.auth import Caller, StaffCaller, staff_with
from gateway.entrypoints.contract import Count, Limit
from gateway.entrypoints.routers import provisional
from gateway.entrypoints.routers.disclosure.stub import stub

router = APIRouter()
RequestReader = Annotated[Caller, Depends(staff_with(Role.DISCLOSURE_OFFICER, Role.LEADER, Role.EVALUATOR))]
RequestHandler = Annotated[Caller, Depends(staff_with(Role.DISCLOSURE_OFFICER))]

ApplicantTypeCode = Literal[
    "natural_person",
    "commercial_enterprise",
    "research_institution",
    "social_welfare_organisation",
    "legal_service_institution",
    "other_organisation",
]
ChannelCode = Literal["in_person", "registered_post", "ordinary_mail", "online", "fax"]
ActionCode = Literal[
    "confirm",
    "ask_correction",
    "corrected",
    "extend",
    "pause",
    "resume",
    "answer",
    "redirect_complaint",
    "notify_fee",
    "fee_paid",
]


class ApplicantModel(BaseModel):
    type: ApplicantTypeCode = Field(description="Table 三 column: 自然人 or one of the five kinds of organisation")
    name: str
    phone: str = ""
    id_number: str = Field("", description="身份证号 or 统一社会信用代码")
    address: str = ""


class RequestIntake(BaseModel):
    applicant: ApplicantModel
    description: str = Field(description="The government information sought (申请内容)")


class StaffIntake(RequestIntake):
    channel: ChannelCode
    received_on: str = Field(description="Date of receipt per Art. 31 for the channel (YYYY-MM-DD)")


class FeeNoticeView(BaseModel):
    """收费通知 (Art. 42; 国办函〔2020〕109号): from the notice to the payment the reply clock stops."""

    basis: Literal["per_request", "per_page"] = Field(description="按件计收 or 按量计收")
    quantity: int = Field(description="per_request: 件 of this request; per_page: pages")
    earlier_items: int = Field(description="per_request: the applicant's 件 earlier in the calendar month")
    amount_yuan: int
    notified_on: str
    pay_by: str = Field(description="Last day to pay: 20 working days after the notice")
    pay_by_provisional: bool = provisional.flag()
    paid_on: str
    lapsed: bool = Field(description="Unpaid after pay_by; the request may be closed with 6.2")


class Progress(BaseModel):
    number: str = Field(description="申请编号")
    state: str
    received_on: str
    due_on: str
    due_on_provisional: bool = provisional.flag()
    correction_due_on: str = Field(description="Awaiting a correction: the last day to correct (Art. 30)")
    correction_due_provisional: bool = provisional.flag()
    answered_on: str
    outcome: str = Field(
        description="Outcome code of table 三, e.g. 1, 3.4, 5.2; 5.1 (a complaint) only through redirect_complaint"
    )
    outcome_reason: str
    fee: FeeNoticeView | None = Field(description="The fee notice to pay, when one was issued")
    provisional_note: str = provisional.note_field()


class RequestSubmitted(BaseModel):
    number: str
    secret_code: str = Field(description="查询码: shown only now; keep it to follow the request")
    progress: Progress
    replayed: bool = Field(
        description="True when the Idempotency-Key found an earlier submission: the same request, with a new code "
        "that replaces the earlier one"
    )


class FollowQuery(BaseModel):
    number: str
    secret_code: str


class RequestView(BaseModel):
    id: str
    number: str
    applicant: ApplicantModel = Field(description="Masked; the full details are at …/applicant")
    channel: ChannelCode
    description: str
    state: str
    received_on: str
    clock_started_on: str
    due_on: str
    due_on_provisional: bool = provisional.flag()
    correction_asked_on: str
    correction_period_days: int = Field(description="The period given to correct, in working days (Art. 30)")
    correction_due_on: str = Field(description="Its last day: 6.1 (逾期不补正) only after it")
    correction_due_provisional: bool = provisional.flag()
    corrected_on: str
    extension_days: int
    extension_approver: str
    consultation_started_on: str
    third_party_due_on: str = Field(description="While consulting: the third party's 15 working days end (Art. 32)")
    third_party_due_provisional: bool = provisional.flag()
    consultation_lapsed_on: str = Field(
        description="The last consultation ended by itself on this day, the third party's last, without an "
        "opinion (Art. 32)"
    )
    paused_working_days: int
    answered_on: str
    outcome: str
    outcome_reason: str
    overdue: bool
    answered_late: bool
    submitted_at: datetime
    fee: FeeNoticeView | None
    provisional_note: str = provisional.note_field()
    recomputations: list[provisional.RecomputedDateView] = Field(
        description="History: provisional dates counted again on the official arrangement, oldest first"
    )


class Received(BaseModel):
    request: RequestView
    secret_code: str


class ActionBody(BaseModel):
    action: ActionCode
    on: str = Field("", description="The day it happened (YYYY-MM-DD); empty means today")
    days: Count = Field(
        0,
        description="extend: working days, 1 to 20; ask_correction: the period given to correct, 1 to 60 working "
        "days (0: the stack's default, SUNSHINE_DISCLOSURE_CORRECTION_PERIOD_WORKING_DAYS)",
    )
    approver: str = Field("", description="extend: the approving official (负责人)")
    outcome: str = Field("", description="answer: outcome code of table 三")
    reason: str = Field("", description="extend / answer / redirect_complaint: the reason told to the applicant")
    fee_basis: Literal["", "per_request", "per_page"] = Field("", description="notify_fee: 按件计收 or 按量计收")
    quantity: Count = Field(0, description="notify_fee: 件 of this request (per_request) or pages (per_page)")


@router.post("/requests", status_code=201, summary="Submit a request online (public)")
async def submit_request(
    intake: RequestIntake,
    request: Request,
    idempotency_key: Annotated[str | None, Header(alias="Idempotency-Key", max_length=200)] = None,
) -> RequestSubmitted:
    """Sending the same submission again with the same Idempotency-Key (after a lost answer, a double click) gives
    the same request back instead of a second one."""
    message = pb.SubmitRequestRequest(intake=_intake(intake), idempotency_key=idempotency_key or "")
    reply = await call(stub(request).SubmitRequest, message)
    progress = _progress(reply.progress)
    return RequestSubmitted(
        number=reply.number, secret_code=reply.secret_code, progress=progress, replayed=reply.replayed
    )


@router.post("/requests/follow", summary="Follow one's own request with its number and secret code (public)")
async def follow_request(query: FollowQuery, request: Request) -> Progress:
    message = pb.FollowRequestRequest(number=query.number, secret_code=query.secret_code)
    return _progress((await call(stub(request).FollowRequest, message)).progress)


@router.post("/requests/received", status_code=201, summary="Record a request received by any channel")
async def receive_request(intake: StaffIntake, caller: StaffCaller, request: Request) -> Received:
    message = pb.ReceiveRequestRequest(
        intake=_intake(intake),
        channel=pb.RequestChannel.Value(f"REQUEST_CHANNEL_{intake.channel.upper()}"),
        received_on=intake.received_on,
    )
    reply = await call(stub(request).ReceiveRequest, message, caller.metadata)
    return Received(request=_request_view(reply.request), secret_code=reply.secret_code)


@router.get("/requests", summary="Requests, newest first")
async def list_requests(
    caller: RequestReader,
    request: Request,
    state: str = "",
    limit: Annotated[Limit, Query(description="At most this many, up to 500")] = 100,
) -> list[RequestView]:
    reply = await call(stub(request).ListRequests, pb.ListRequestsRequest(state=state, limit=limit), caller.metadata)
    return [_request_view(r) for r in reply.requests]


@router.get("/requests/{request_id}", summary="One request (applicant masked)")
async def get_request(request_id: str, caller: StaffCaller, request: Request) -> RequestView:
    reply = await call(stub(request).GetRequest, pb.GetRequestRequest(id=request_id), caller.metadata)
    return _request_view(reply.request)


@router.get("/requests/{request_id}/applicant", summary="The applicant's contact details in full")
async def get_applicant(request_id: str, caller: StaffCaller, request: Request) -> ApplicantModel:
    reply = await call(stub(request).GetApplicant, pb.GetApplicantRequest(id=request_id), caller.metadata)
    return _applicant(reply.applicant)


@router.post("/requests/{request_id}/actions", summary="One state change of a request")
async def act_on_request(request_id: str, body: ActionBody, caller: RequestHandler, request: Request) -> RequestView:
    message = pb.ActOnRequestRequest(id=request_id, **body.model_dump())
    reply = await call(stub(request).ActOnRequest, message, caller.metadata)
    return _request_view(reply.request)


@router.post("/requests/overdue-checks", summary="Flag every request past its deadline")
async def detect_overdue(caller: StaffCaller, request: Request) -> list[RequestView]:
    reply = await call(stub(request).DetectOverdueRequests, pb.DetectOverdueRequestsRequest(), caller.metadata)
    return [_request_view(r) for r in reply.requests]


def _intake(intake: RequestIntake) -> pb.RequestIntake:
    applicant = intake.applicant
    return pb.RequestIntake(
        applicant=pb.Applicant(
            type=pb.ApplicantType.Value(f"APPLICANT_TYPE_{applicant.type.upper()}"),
            name=applicant.name,
            phone=applicant.phone,
            id_number=applicant.id_number,
            address=applicant.address,
        ),
        description=intake.description,
    )


def _applicant(applicant: pb.Applicant) -> ApplicantModel:
    return ApplicantModel(
        type=pb.ApplicantType.Name(applicant.type).removeprefix("APPLICANT_TYPE_").lower(),  # type: ignore[arg-type]
        name=applicant.name,
        phone=applicant.phone,
        id_number=applicant.id_number,
        address=applicant.address,
    )


def _progress(progress: pb.RequestProgress) -> Progress:
    return Progress(
        number=progress.number,
        state=progress.state,
        received_on=progress.received_on,
        due_on=progress.due_on,
        due_on_provisional=progress.due_on_provisional,
        correction_due_on=progress.correction_due_on,
        correction_due_provisional=progress.correction_due_provisional,
        answered_on=progress.answered_on,
        outcome=progress.outcome,
        outcome_reason=progress.outcome_reason,
        fee=_fee_view(progress),
        provisional_note=_note(progress),
    )


def _fee_view(message: pb.RequestProgress | pb.DisclosureRequest) -> FeeNoticeView | None:
    if not message.HasField("fee"):
        return None
    fee = message.fee
    return FeeNoticeView(
        basis=fee.basis,  # type: ignore[arg-type]
        quantity=fee.quantity,
        earlier_items=fee.earlier_items,
        amount_yuan=fee.amount_yuan,
        notified_on=fee.notified_on,
        pay_by=fee.pay_by,
        pay_by_provisional=fee.pay_by_provisional,
        paid_on=fee.paid_on,
        lapsed=fee.lapsed,
    )


_PLAIN_FIELDS = tuple(
    name
    for name in RequestView.model_fields
    if name not in ("applicant", "channel", "submitted_at", "fee", "provisional_note", "recomputations")
)


def _request_view(message: pb.DisclosureRequest) -> RequestView:
    return RequestView(
        **{name: getattr(message, name) for name in _PLAIN_FIELDS},
        applicant=_applicant(message.applicant),
        channel=pb.RequestChannel.Name(message.channel).removeprefix("REQUEST_CHANNEL_").lower(),  # type: ignore[arg-type]
        submitted_at=from_timestamp(message.submitted_at),
        fee=_fee_view(message),
        provisional_note=_note(message),
        recomputations=[provisional.recomputed_date_view(c) for c in message.recomputations],
    )


def _note(message: pb.RequestProgress | pb.DisclosureRequest) -> str:
    third_party = isinstance(message, pb.DisclosureRequest) and message.third_party_due_provisional
    dates = (message.due_on_provisional, message.correction_due_provisional, message.fee.pay_by_provisional)
    return provisional.note(*dates, third_party)
