"""Disclosure on request (依申请公开) use cases: public submission and follow-up, staff handling."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy.exc import IntegrityError
from sunshine_kit.auth import Principal, Role, ServicePrincipal, check_act, require_read, require_role, require_service
from sunshine_kit.errors import NotFound, ValidationFailed
from sunshine_kit.identity import StackIdentity
from sunshine_kit.timestamps import china_date
from sunshine_kit.working_days import WorkingDayCalendar

from disclosure.domain import outcomes, secret_codes, submission_keys
from disclosure.domain.applicants import Applicant, Channel
from disclosure.domain.disclosure_request import DisclosureRequest, Intake, RequestState
from disclosure.service.unit_of_work import DisclosureUnitOfWork

READERS = (Role.DISCLOSURE_OFFICER, Role.LEADER, Role.EVALUATOR)
# The period a correction notice gives the applicant unless the office gives another (Art. 30, docs/disclosure.md).
DEFAULT_CORRECTION_PERIOD_DAYS = 15
# The service granted the applicant of a request redirected to it (service identity, docs/auth.md).
HOTLINE_SERVICE = "hotline"
MAX_LIST = 500


@dataclass(frozen=True)
class Submitted:
    """A submitted request and its secret code (shown once); `replayed`: an earlier submission with the same
    idempotency key, whose code this one replaces."""

    request: DisclosureRequest
    code: str
    replayed: bool = False


@dataclass(frozen=True)
class Action:
    """One state change asked for by staff; `on` None means today."""

    name: str
    on: date | None = None
    days: int = 0
    approver: str = ""
    outcome: str = ""
    reason: str = ""
    fee_basis: str = ""
    quantity: int = 0


class RequestService:
    def __init__(
        self,
        unit_of_work: Callable[[], DisclosureUnitOfWork],
        identity: StackIdentity,
        calendar: WorkingDayCalendar,
        clock: Callable[[], datetime],
        correction_period_days: int = DEFAULT_CORRECTION_PERIOD_DAYS,
    ) -> None:
        self._unit_of_work = unit_of_work
        self._identity = identity
        self._calendar = calendar
        self._clock = clock
        self._correction_period_days = correction_period_days

    # --- public ------------------------------------------------------------------------------------------------

    async def submit(self, intake: Intake, idempotency_key: str = "", principal: Principal | None = None) -> Submitted:
        """Anyone may submit online; the code is returned once and only its digest is kept.

        With an idempotency key, a retry of the same submission by the same kind of caller (anonymous, or staff
        of one division: `principal`) returns the request already made, with a new code replacing the old one,
        and no event; the key with anything else is refused (domain/submission_keys.py). Two submissions racing
        with one key: the loser's insert fails on the unique key and it is answered as a replay."""
        now = self._clock()
        scope = submission_keys.PUBLIC if principal is None else submission_keys.staff_scope(principal.division)
        division = self._identity.division
        request, code = DisclosureRequest.submit_online(intake, division, now, china_date(now), idempotency_key, scope)
        if not idempotency_key:
            await self._add(request)
            return Submitted(request, code)
        try:
            return await self._submit_once(request, code, intake, scope)
        except IntegrityError:
            return await self._submit_once(request, code, intake, scope)

    async def _submit_once(self, request: DisclosureRequest, code: str, intake: Intake, scope: str) -> Submitted:
        async with self._unit_of_work() as uow:
            earlier = await uow.requests.by_idempotency_key(request.idempotency_key)
            if earlier is None:
                await uow.requests.add(request)
                await uow.publish(request.events)
                await uow.commit()
                return Submitted(request, code)
            code = earlier.replay(intake, scope)
            await uow.requests.save(earlier)
            await uow.commit()
            return Submitted(earlier, code, replayed=True)

    async def follow(self, number: str, code: str) -> DisclosureRequest:
        """The same answer for an unknown number and a wrong code, so numbers cannot be probed."""
        async with self._unit_of_work() as uow:
            request = await uow.requests.by_number(number.strip())
        if request is None or not secret_codes.matches(request.number, code, request.code_digest):
            raise NotFound("no request with this number and code / 申请编号或查询码不正确")
        return request

    # --- staff -------------------------------------------------------------------------------------------------

    async def receive(
        self, principal: Principal, intake: Intake, channel: Channel | None, received_on: date | None
    ) -> tuple[DisclosureRequest, str]:
        self._check_handler(principal)
        now = self._clock()
        request, code = DisclosureRequest.receive(
            intake, self._identity.division, channel, received_on, now, china_date(now), self._calendar
        )
        await self._add(request)
        return request, code

    async def get(self, principal: Principal, request_id: str) -> DisclosureRequest:
        self._check_may_read_some(principal)
        async with self._unit_of_work() as uow:
            request = await self._load(uow, request_id)
        self._check_reader(principal, request)
        return request

    async def listed(self, principal: Principal, state: str, limit: int) -> list[DisclosureRequest]:
        require_read(principal, self._identity.division, *READERS)
        wanted = RequestState(state) if state in RequestState.__members__.values() else None
        if state and wanted is None:
            raise ValidationFailed.field("state", "one of " + ", ".join(RequestState))
        if not 0 <= limit <= MAX_LIST:
            raise ValidationFailed.field("limit", f"0 (the default, 100) to {MAX_LIST}")
        async with self._unit_of_work() as uow:
            return await uow.requests.listed(wanted, limit or 100)

    async def act(self, principal: Principal, request_id: str, action: Action) -> DisclosureRequest:
        self._check_handler(principal)
        handler = _HANDLERS.get(action.name)
        if handler is None:
            raise ValidationFailed.field("action", "one of " + ", ".join(_HANDLERS))
        async with self._unit_of_work() as uow:
            request = await self._load(uow, request_id)
            counts = action.name == "notify_fee" and request.received_on is not None  # else refused as not received
            earlier = await uow.requests.earlier_in_month(request) if counts else 0
            today = china_date(self._clock())
            context = _Context(today, self._calendar, self._identity.division, earlier, self._correction_period_days)
            handler(request, action, context)
            await uow.requests.save(request)
            await uow.publish(request.events)
            await uow.commit()
        return request

    async def overdue_count(self) -> int:
        """For monitoring: requests in progress past their statutory deadline today (超期)."""
        async with self._unit_of_work() as uow:
            return await uow.requests.count_past_deadline(china_date(self._clock()))

    async def detect_overdue(self, principal: Principal | None) -> list[DisclosureRequest]:
        """Flags requests past their deadline and fee notices unpaid past their last day, and ends consultations
        past the third party's 15 working days (Art. 32, after which the request may be overdue too), one event
        each; `None` is the service's own periodic check. A provisional date is counted again first, so no flag is
        raised from one that the official arrangement moved later."""
        if principal is not None:
            require_role(principal, Role.DISCLOSURE_OFFICER, Role.STACK_OPERATOR)
            check_act(principal, self._identity.division)
        today = china_date(self._clock())
        async with self._unit_of_work() as uow:
            candidates = await uow.requests.past_deadline(today) + await uow.requests.fee_past_due(today)
            candidates += await uow.requests.consultation_past_due(today)
            for request in candidates:
                request.recompute(today, self._calendar)
            flagged = [r for r in candidates if self._flag(r, today)]
            for request in candidates:
                if request.events:
                    await uow.requests.save(request)
                    await uow.publish(request.events)
            await uow.commit()
        return flagged

    # --- helpers -----------------------------------------------------------------------------------------------

    def _flag(self, request: DisclosureRequest, today: date) -> bool:
        lapsed = request.lapse_consultation(today, self._calendar)
        return request.flag_if_overdue(today) or request.flag_if_fee_lapsed(today) or lapsed

    async def _add(self, request: DisclosureRequest) -> None:
        async with self._unit_of_work() as uow:
            await uow.requests.add(request)
            await uow.publish(request.events)
            await uow.commit()

    @staticmethod
    async def _load(uow: DisclosureUnitOfWork, request_id: str) -> DisclosureRequest:
        request = await uow.requests.get(request_id)
        if request is None:
            raise NotFound(f"no disclosure request {request_id}")
        return request

    def _check_handler(self, principal: Principal) -> None:
        require_role(principal, Role.DISCLOSURE_OFFICER)
        check_act(principal, self._identity.division)

    def _check_may_read_some(self, principal: Principal) -> None:
        """Before loading anything: a role that reads some requests, and this stack's division."""
        require_read(principal, self._identity.division, *READERS, Role.HOTLINE_OPERATOR)

    def _check_reader(self, principal: Principal, request: DisclosureRequest) -> None:
        """Readers of requests; a hotline operator also reads a request redirected to the hotline (Art. 39)."""
        redirected = request.outcome is outcomes.COMPLAINT
        roles = (*READERS, Role.HOTLINE_OPERATOR) if redirected else READERS
        require_read(principal, self._identity.division, *roles)

    def _check_applicant_reader(self, principal: Principal, request: DisclosureRequest) -> None:
        """Full contact details: the handling office, or the hotline for a redirected complaint; own division."""
        redirected = request.outcome is outcomes.COMPLAINT
        roles = (Role.DISCLOSURE_OFFICER, Role.HOTLINE_OPERATOR) if redirected else (Role.DISCLOSURE_OFFICER,)
        require_role(principal, *roles)
        check_act(principal, self._identity.division)

    async def applicant_of(self, principal: Principal, request_id: str) -> DisclosureRequest:
        self._check_may_read_some(principal)
        async with self._unit_of_work() as uow:
            request = await self._load(uow, request_id)
            self._check_applicant_reader(principal, request)
            await _audited_read(uow, "applicant", request)
        return request

    # --- the stack's own services ------------------------------------------------------------------------------

    async def redirected_applicant(self, caller: ServicePrincipal, request_id: str) -> Applicant:
        """The applicant, for the ticket a redirected request became: granted to this stack's hotline service
        only, and only for a request redirected to the hotline (Art. 39, outcome 5.1)."""
        require_service(caller, HOTLINE_SERVICE, self._identity.division)
        async with self._unit_of_work() as uow:
            request = await self._load(uow, request_id)
            if request.outcome is not outcomes.COMPLAINT:
                # Not found rather than denied: the grant is fine, there is just no redirected request of that id
                # (the hotline tells a wrong grant, which stops its job, from a request it will never get).
                raise NotFound(f"no request {request_id} redirected to the hotline")
            await _audited_read(uow, "applicant", request)
        return request.applicant


async def _audited_read(uow: DisclosureUnitOfWork, what: str, request: DisclosureRequest) -> None:
    """The applicant in full leaves the service only with an audit entry saying who read it."""
    uow.audited_read(what, f"request:{request.id}")
    await uow.commit()


@dataclass(frozen=True)
class _Context:
    today: date
    calendar: WorkingDayCalendar
    division: str
    earlier_items: int  # notify_fee: the applicant's 件 earlier in the calendar month
    correction_period_days: int  # ask_correction without `days`: the stack's default


_HANDLERS: dict[str, Callable[[DisclosureRequest, Action, _Context], None]] = {
    "confirm": lambda r, a, c: r.confirm(a.on, c.today, c.calendar),
    "ask_correction": lambda r, a, c: r.ask_correction(a.on, c.today, c.calendar, a.days or c.correction_period_days),
    "corrected": lambda r, a, c: r.receive_correction(a.on, c.today, c.calendar),
    "extend": lambda r, a, c: r.extend(a.days, a.approver, a.reason, a.on, c.today, c.calendar),
    "pause": lambda r, a, c: r.pause_for_third_party(a.on, c.today, c.calendar),
    "resume": lambda r, a, c: r.resume(a.on, c.today, c.calendar),
    "answer": lambda r, a, c: r.answer(a.outcome, a.reason, a.on, c.today, c.calendar),
    "redirect_complaint": lambda r, a, c: r.redirect_as_complaint(a.reason, c.division, a.on, c.today),
    "notify_fee": lambda r, a, c: r.notify_fee(a.fee_basis, a.quantity, c.earlier_items, a.on, c.today, c.calendar),
    "fee_paid": lambda r, a, c: r.record_fee_payment(a.on, c.today, c.calendar),
}
