"""Disclosure requests in the database; saving checks the version read, so two writers never both win."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import func, insert, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sunshine_kit.errors import IllegalTransition
from sunshine_kit.timestamps import as_utc

from disclosure.adapters import date_changes_json
from disclosure.adapters.tables import disclosure_requests, report_figures
from disclosure.domain import outcomes
from disclosure.domain.annual_report import ReportFigures, RequestFacts
from disclosure.domain.applicants import Applicant, ApplicantType, Channel
from disclosure.domain.disclosure_request import DisclosureRequest, Pause, RequestState
from disclosure.domain.fees import FeeBasis, FeeNotice

_PLAIN = (
    "id", "number", "code_digest", "description", "received_on", "clock_started_on", "due_on",
    "due_on_provisional", "correction_asked_on", "correction_period_days", "correction_due_on",
    "correction_due_provisional", "corrected_on", "extension_days", "extension_approver", "extension_reason",
    "consultation_started_on", "third_party_due_on", "third_party_due_provisional", "consultation_lapsed_on",
    "paused_working_days", "answered_on", "outcome_reason", "overdue", "last_acted_on",
)  # fmt: skip
_table = disclosure_requests


def _row_values(request: DisclosureRequest) -> dict[str, Any]:
    applicant = request.applicant
    return {
        **{name: getattr(request, name) for name in _PLAIN},
        "applicant_type": str(request.applicant_type),
        "applicant_name": applicant.name,
        "applicant_phone": applicant.phone,
        "applicant_id_number": applicant.id_number,
        "applicant_address": applicant.address,
        "channel": str(request.channel),
        "state": str(request.state),
        "submitted_at": request.submitted_at,
        "outcome": request.outcome.code if request.outcome else None,
        "pauses": json.dumps([_pause_value(pause) for pause in request.pauses]),
        "recomputations": date_changes_json.to_json(request.recomputations),
        # null, not "", without a key: the unique index admits any number of nulls
        "idempotency_key": request.idempotency_key or None,
        "idempotency_fingerprint": request.idempotency_fingerprint or None,
        **_fee_values(request.fee),
    }


def _pause_value(pause: Pause) -> dict[str, Any]:
    return {
        "started_on": pause.started_on.isoformat(),
        "ended_on": pause.ended_on.isoformat(),
        "working_days": pause.working_days,
        "provisional": pause.provisional,
    }


def _pause(value: dict[str, Any]) -> Pause:
    started_on, ended_on = date.fromisoformat(value["started_on"]), date.fromisoformat(value["ended_on"])
    return Pause(started_on, ended_on, value["working_days"], value["provisional"])


def _fee_values(fee: FeeNotice | None) -> dict[str, Any]:
    if fee is None:
        return {"fee_basis": None, "fee_quantity": None, "fee_earlier_items": None, "fee_amount_yuan": None,
                "fee_notified_on": None, "fee_pay_by": None, "fee_pay_by_provisional": False, "fee_paid_on": None,
                "fee_lapsed": False}  # fmt: skip
    return {
        "fee_basis": str(fee.basis),
        "fee_quantity": fee.quantity,
        "fee_earlier_items": fee.earlier_items,
        "fee_amount_yuan": fee.amount_yuan,
        "fee_notified_on": fee.notified_on,
        "fee_pay_by": fee.pay_by,
        "fee_pay_by_provisional": fee.pay_by_provisional,
        "fee_paid_on": fee.paid_on,
        "fee_lapsed": fee.lapsed,
    }


def _fee(row: Any) -> FeeNotice | None:
    if row.fee_basis is None:
        return None
    return FeeNotice(
        FeeBasis(row.fee_basis),
        row.fee_quantity,
        row.fee_earlier_items,
        row.fee_amount_yuan,
        row.fee_notified_on,
        row.fee_pay_by,
        row.fee_pay_by_provisional,
        row.fee_paid_on,
        row.fee_lapsed,
    )


def _request(row: Any) -> DisclosureRequest:
    applicant = Applicant(
        ApplicantType(row.applicant_type),
        row.applicant_name,
        row.applicant_phone,
        row.applicant_id_number,
        row.applicant_address,
    )
    return DisclosureRequest(
        **{name: getattr(row, name) for name in _PLAIN},
        applicant=applicant,
        channel=Channel(row.channel),
        state=RequestState(row.state),
        submitted_at=as_utc(row.submitted_at),
        outcome=outcomes.BY_CODE[row.outcome] if row.outcome else None,
        fee=_fee(row),
        pauses=tuple(_pause(value) for value in json.loads(row.pauses)),
        recomputations=date_changes_json.from_json(row.recomputations),
        idempotency_key=row.idempotency_key or "",
        idempotency_fingerprint=row.idempotency_fingerprint or "",
        version=row.version,
    )


class RequestRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, request: DisclosureRequest) -> None:
        await self._session.execute(insert(_table).values(**_row_values(request), version=1))
        request.version = 1

    async def save(self, request: DisclosureRequest) -> None:
        """Writes the request if nobody changed it since it was read; else refuses (the caller may retry)."""
        statement = (
            update(_table)
            .where(_table.c.id == request.id, _table.c.version == request.version)
            .values(**_row_values(request), version=request.version + 1)
        )
        if (await self._session.execute(statement)).rowcount != 1:
            raise IllegalTransition("save a request someone else changed meanwhile; reload it", request.state)
        request.version += 1

    async def get(self, request_id: str) -> DisclosureRequest | None:
        row = (await self._session.execute(select(_table).where(_table.c.id == request_id))).one_or_none()
        return None if row is None else _request(row)

    async def by_idempotency_key(self, key: str) -> DisclosureRequest | None:
        """The request submitted with this key, read FOR UPDATE (PostgreSQL; SQLite's BEGIN IMMEDIATE already
        serialises writers), so two replays of one key queue instead of one failing on the version check."""
        query = select(_table).where(_table.c.idempotency_key == key).with_for_update()
        row = (await self._session.execute(query)).one_or_none()
        return None if row is None else _request(row)

    async def by_number(self, number: str) -> DisclosureRequest | None:
        row = (await self._session.execute(select(_table).where(_table.c.number == number))).one_or_none()
        return None if row is None else _request(row)

    async def listed(self, state: RequestState | None, limit: int) -> list[DisclosureRequest]:
        query = select(_table).order_by(_table.c.submitted_at.desc()).limit(limit)
        if state is not None:
            query = query.where(_table.c.state == str(state))
        return [_request(row) for row in await self._session.execute(query)]

    async def ids_to_recount(self, changed_years: frozenset[int]) -> list[str]:
        """Open requests with a date counted through a year without an official holiday arrangement; every open
        request when a year's official schedule changed (a few thousand at most, and it happens once a year)."""
        t = _table.c
        query = select(t.id).where(t.state != str(RequestState.ANSWERED))
        if not changed_years:
            provisional = (
                t.due_on_provisional
                | t.third_party_due_provisional
                | t.correction_due_provisional
                | t.fee_pay_by_provisional
            )
            query = query.where(provisional)
        return list((await self._session.execute(query)).scalars())

    async def past_deadline(self, today: date) -> list[DisclosureRequest]:
        query = select(_table).where(
            _table.c.state == str(RequestState.IN_PROGRESS), _table.c.due_on < today, _table.c.overdue.is_(False)
        )
        return [_request(row) for row in await self._session.execute(query)]

    async def count_past_deadline(self, today: date) -> int:
        """Requests still in progress whose deadline is before `today`, flagged overdue yet or not."""
        query = select(func.count()).where(_table.c.state == str(RequestState.IN_PROGRESS), _table.c.due_on < today)
        return await self._session.scalar(query) or 0

    async def consultation_past_due(self, today: date) -> list[DisclosureRequest]:
        """Consulting past the third party's 15 working days (or started before that limit was kept)."""
        t = _table.c
        past = or_(t.third_party_due_on < today, t.third_party_due_on.is_(None))
        query = select(_table).where(t.state == str(RequestState.CONSULTING), past)
        return [_request(row) for row in await self._session.execute(query)]

    async def fee_past_due(self, today: date) -> list[DisclosureRequest]:
        query = select(_table).where(
            _table.c.state == str(RequestState.AWAITING_FEE),
            _table.c.fee_pay_by < today,
            _table.c.fee_lapsed.is_(False),
        )
        return [_request(row) for row in await self._session.execute(query)]

    async def earlier_in_month(self, request: DisclosureRequest) -> int:
        """The same applicant's requests received earlier in the calendar month of this one's receipt (按件计收
        counts 件 per applicant and month). The same applicant: the same ID number, or without one the same name
        and phone."""
        assert request.received_on is not None
        applicant, t = request.applicant, _table.c
        same = (
            t.applicant_id_number == applicant.id_number
            if applicant.id_number
            else (t.applicant_name == applicant.name) & (t.applicant_phone == applicant.phone)
        )
        earlier = (t.received_on < request.received_on) | (
            (t.received_on == request.received_on) & (t.submitted_at < request.submitted_at)
        )
        query = (
            select(func.count())
            .select_from(_table)
            .where(
                same,
                t.applicant_type == str(request.applicant_type),
                t.received_on >= request.received_on.replace(day=1),
                earlier,
                t.id != request.id,
            )
        )
        return (await self._session.execute(query)).scalar_one()

    async def report_facts(self, year: int) -> list[RequestFacts]:
        """Requests received by the end of `year` and not answered before it began (table 三)."""
        columns = (_table.c.applicant_type, _table.c.received_on, _table.c.answered_on, _table.c.outcome)
        query = select(*columns).where(
            _table.c.received_on <= date(year, 12, 31),
            or_(_table.c.answered_on.is_(None), _table.c.answered_on >= date(year, 1, 1)),
        )
        rows = await self._session.execute(query)
        return [RequestFacts(ApplicantType(r[0]), r[1], r[2], r[3]) for r in rows]


class ReportFiguresRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def get(self, year: int) -> ReportFigures:
        return await self.find(year) or ReportFigures(year)

    async def find(self, year: int) -> ReportFigures | None:
        """The figures the unit entered for `year`; None if it has entered none."""
        row = (await self._session.execute(select(report_figures).where(report_figures.c.year == year))).one_or_none()
        return None if row is None else figures_from_json(year, row.figures)

    async def put(self, figures: ReportFigures) -> None:
        text = figures_json(figures)
        table = report_figures
        exists = (await self._session.execute(select(table.c.year).where(table.c.year == figures.year))).first()
        if exists:
            await self._session.execute(update(table).where(table.c.year == figures.year).values(figures=text))
        else:
            await self._session.execute(insert(table).values(year=figures.year, figures=text))


def figures_json(figures: ReportFigures) -> str:
    return json.dumps(
        {
            "licensing_decisions": figures.licensing_decisions,
            "penalty_decisions": figures.penalty_decisions,
            "enforcement_decisions": figures.enforcement_decisions,
            "fees_ten_thousand_yuan": str(figures.fees_ten_thousand_yuan),
            "review_and_litigation": list(figures.review_and_litigation),
        }
    )


def figures_from_json(year: int, text: str) -> ReportFigures:
    stored = json.loads(text)
    return ReportFigures(
        year,
        stored["licensing_decisions"],
        stored["penalty_decisions"],
        stored["enforcement_decisions"],
        Decimal(stored["fees_ten_thousand_yuan"]),
        tuple(stored["review_and_litigation"]),
    )
