"""Disclosure on request (依申请公开): a request and its statutory clock, as a state machine.

- Date of receipt by channel (Art. 31); an online submission is received when the office confirms it.
- One correction notice (补正) within 7 working days of receipt, giving the applicant a period to correct (a
  reasonable one: the stack's default unless the office gives another); unanswered, the request may be closed
  with 6.1 only once that period has lapsed. The clock restarts on the corrected request (Art. 30).
- Reply within 20 working days (Art. 33), extendable once by at most 20 with a recorded approver.
- Consulting third parties (Art. 32, who get 15 working days) pauses the clock; when the 15 days pass without
  an opinion, the pause ends by itself on their last day (`lapse_consultation`) and the office decides.
- A fee notice (收费通知, Art. 42; 国办函〔2020〕109号, see `fees`) pauses it until the fee is paid; unpaid within
  20 working days of the notice, the request may be closed with 6.2.
- The answer is one outcome of the closed legal set (Art. 36, table 三); a complaint is closed with 5.1 and
  redirected to the hotline (Art. 39).

due_on = clock_started_on + (20 + extension_days + paused_working_days) working days. Adding working days
composes (adding a then b equals adding a + b), so pausing (a consultation, a fee notice) moves the deadline by
exactly the working days paused. Each pause is kept (`pauses`), so the count can be made again.

A date counted through a year whose holiday arrangement is not published yet is provisional (预计): the request
says so beside each such date (`due_on_provisional`, `third_party_due_provisional`, the fee's
`pay_by_provisional`), and so does every event carrying one. When the arrangement arrives, `recompute` counts
them again, keeps each change (`recomputations`) and withdraws an overdue or lapse flag raised from a date that
moved later and has not passed.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum

from google.protobuf.message import Message
from sunshine.events.v1 import disclosure_pb2 as events
from sunshine_kit.errors import FieldViolation, IllegalTransition, ValidationFailed
from sunshine_kit.timestamps import to_timestamp
from sunshine_kit.working_days import WorkingDayCalendar

from disclosure.domain import outcomes, secret_codes, submission_keys
from disclosure.domain.applicants import MAX_DESCRIPTION, Applicant, ApplicantType, Channel
from disclosure.domain.date_changes import DateChange
from disclosure.domain.fees import FeeNotice
from disclosure.domain.outcomes import Outcome

REPLY_WORKING_DAYS = 20
MAX_EXTENSION_WORKING_DAYS = 20
CORRECTION_NOTICE_WORKING_DAYS = 7
MAX_CORRECTION_PERIOD_WORKING_DAYS = 60
THIRD_PARTY_WORKING_DAYS = 15
MAX_REASON = 2000


class RequestState(StrEnum):
    AWAITING_CONFIRMATION = "awaiting_confirmation"  # 待确认 (online, Art. 31 (三))
    IN_PROGRESS = "in_progress"  # 办理中
    AWAITING_CORRECTION = "awaiting_correction"  # 待补正 (Art. 30)
    CONSULTING = "consulting"  # 征求第三方意见 (Art. 32), clock paused
    AWAITING_FEE = "awaiting_fee"  # 待缴费 (Art. 42), clock paused
    ANSWERED = "answered"  # 已答复


@dataclass(frozen=True)
class Intake:
    applicant: Applicant
    description: str

    def violations(self) -> list[FieldViolation]:
        found = self.applicant.violations()
        if not self.description.strip():
            found.append(FieldViolation("description", "say which government information is sought"))
        if len(self.description) > MAX_DESCRIPTION:
            found.append(FieldViolation("description", f"at most {MAX_DESCRIPTION} characters"))
        return found


@dataclass(frozen=True)
class Pause:
    """The clock stood still from `started_on` to `ended_on`: a third-party consultation (Art. 32) or a fee
    notice until its payment (Art. 42). Its working days are those in (started_on, ended_on]."""

    started_on: date
    ended_on: date
    working_days: int
    provisional: bool

    @classmethod
    def counted(cls, started_on: date, ended_on: date, calendar: WorkingDayCalendar) -> Pause:
        working_days = calendar.working_days_between(started_on, ended_on)
        return cls(started_on, ended_on, working_days, calendar.provisional_between(started_on, ended_on))


@dataclass
class DisclosureRequest:
    id: str
    number: str
    code_digest: str
    applicant: Applicant
    channel: Channel
    description: str
    state: RequestState
    submitted_at: datetime
    received_on: date | None = None
    clock_started_on: date | None = None
    due_on: date | None = None
    due_on_provisional: bool = False
    correction_asked_on: date | None = None
    correction_period_days: int = 0  # the period given to correct (Art. 30)
    correction_due_on: date | None = None
    correction_due_provisional: bool = False
    corrected_on: date | None = None
    extension_days: int = 0
    extension_approver: str = ""
    extension_reason: str = ""
    consultation_started_on: date | None = None
    third_party_due_on: date | None = None
    third_party_due_provisional: bool = False
    consultation_lapsed_on: date | None = None  # the last consultation ended without an opinion (Art. 32)
    paused_working_days: int = 0
    pauses: tuple[Pause, ...] = ()
    recomputations: tuple[DateChange, ...] = ()
    fee: FeeNotice | None = None
    answered_on: date | None = None
    outcome: Outcome | None = None
    outcome_reason: str = ""
    overdue: bool = False
    last_acted_on: date | None = None
    # Set by a submission that carried a key, qualified by the caller's scope (submission_keys); empty otherwise.
    idempotency_key: str = ""
    idempotency_fingerprint: str = ""
    version: int = 0
    events: list[Message] = field(default_factory=list, repr=False, compare=False)

    # --- intake ------------------------------------------------------------------------------------------------

    @classmethod
    def submit_online(
        cls,
        intake: Intake,
        division: str,
        now: datetime,
        today: date,
        idempotency_key: str = "",
        scope: str = submission_keys.PUBLIC,
    ) -> tuple[DisclosureRequest, str]:
        """A citizen's online submission; returns the request and its secret code (shown once). With a key, the
        request keeps it and the fingerprint of the submission, for a retry to find it (`replay`)."""
        violations = intake.violations() + submission_keys.key_violations(idempotency_key)
        if violations:
            raise ValidationFailed(*violations)
        request, code = cls._new(intake, division, Channel.ONLINE, now, today)
        if idempotency_key:
            request.idempotency_key = submission_keys.scoped(scope, idempotency_key)
            request.idempotency_fingerprint = submission_keys.fingerprint(intake, scope)
        request.events.append(
            events.DisclosureRequestSubmitted(
                request_id=request.id,
                number=request.number,
                applicant_type=str(request.applicant_type),
                submitted_at=to_timestamp(now),
            )
        )
        return request, code

    @classmethod
    def receive(
        cls,
        intake: Intake,
        division: str,
        channel: Channel | None,
        received_on: date | None,
        now: datetime,
        today: date,
        calendar: WorkingDayCalendar,
    ) -> tuple[DisclosureRequest, str]:
        """Intake by staff with the channel's date of receipt (Art. 31)."""
        violations = intake.violations()
        if channel is None:
            violations.append(FieldViolation("channel", "say how the request arrived"))
        violations += _date_violations("received_on", received_on, None, today)
        if violations:
            raise ValidationFailed(*violations)
        assert channel is not None and received_on is not None
        request, code = cls._new(intake, division, channel, now, today)
        request._start(received_on, calendar)
        return request, code

    @classmethod
    def _new(
        cls, intake: Intake, division: str, channel: Channel, now: datetime, today: date
    ) -> tuple[DisclosureRequest, str]:
        number = secret_codes.new_number(division, today)
        code = secret_codes.new_secret_code()
        request = cls(
            id=str(uuid.uuid4()),
            number=number,
            code_digest=secret_codes.digest(number, code),
            applicant=intake.applicant,
            channel=channel,
            description=intake.description.strip(),
            state=RequestState.AWAITING_CONFIRMATION,
            submitted_at=now,
        )
        return request, code

    def replay(self, intake: Intake, scope: str) -> str:
        """The same submission again (same key): nothing new is created and no event emitted; the request gets a
        new secret code, returned once, and the earlier code stops working (only its digest was kept, so it
        cannot be given again, and the caller replaying never got it or lost it). Anything else under this key
        (other content, another kind of caller) is refused naming the key."""
        if not self.idempotency_key or submission_keys.fingerprint(intake, scope) != self.idempotency_fingerprint:
            raise ValidationFailed.field(
                submission_keys.FIELD,
                "already used for a different submission; a retry must repeat the same applicant and content "
                "/ 该幂等键已用于另一份申请，重试时申请人和申请内容须完全相同",
            )
        code = secret_codes.new_secret_code()
        self.code_digest = secret_codes.digest(self.number, code)
        return code

    @property
    def applicant_type(self) -> ApplicantType:
        assert self.applicant.type is not None
        return self.applicant.type

    def confirm(self, on: date | None, today: date, calendar: WorkingDayCalendar) -> None:
        """Art. 31 (三): an online request is received the day the office confirms it with the applicant."""
        self._require("confirm", RequestState.AWAITING_CONFIRMATION)
        self._check_date(on, today)
        self._start(on or today, calendar)

    def _start(self, received_on: date, calendar: WorkingDayCalendar) -> None:
        self.received_on = self.clock_started_on = self.last_acted_on = received_on
        self.state = RequestState.IN_PROGRESS
        due_on = self._set_deadline(calendar)
        self.events.append(
            events.DisclosureRequestReceived(
                request_id=self.id,
                number=self.number,
                applicant_type=str(self.applicant_type),
                channel=str(self.channel),
                received_on=received_on.isoformat(),
                due_on=due_on.isoformat(),
                due_on_provisional=self.due_on_provisional,
            )
        )

    # --- correction (补正, Art. 30) ----------------------------------------------------------------------------

    def ask_correction(self, on: date | None, today: date, calendar: WorkingDayCalendar, period_days: int) -> None:
        """The one correction notice, giving the applicant `period_days` working days to correct."""
        self._require("ask for a correction", RequestState.IN_PROGRESS)
        if self.correction_asked_on is not None:
            raise IllegalTransition("ask for a second correction (Art. 30 allows one)", self.state)
        asked_on = self._check_date(on, today)
        assert self.received_on is not None
        if calendar.working_days_between(self.received_on, asked_on) > CORRECTION_NOTICE_WORKING_DAYS:
            limit = calendar.add_working_days(self.received_on, CORRECTION_NOTICE_WORKING_DAYS)
            raise ValidationFailed.field(
                "on", f"a correction must be asked within {CORRECTION_NOTICE_WORKING_DAYS} working days, by {limit}"
            )
        if not 1 <= period_days <= MAX_CORRECTION_PERIOD_WORKING_DAYS:
            raise ValidationFailed.field(
                "days", f"the period to correct: 1 to {MAX_CORRECTION_PERIOD_WORKING_DAYS} working days"
            )
        self.correction_asked_on = self.last_acted_on = asked_on
        self.correction_period_days = period_days
        self._set_correction_due(calendar)
        assert self.correction_due_on is not None
        self.state = RequestState.AWAITING_CORRECTION
        self.events.append(
            events.DisclosureRequestQueried(
                request_id=self.id,
                asked_on=asked_on.isoformat(),
                correction_period_days=period_days,
                correction_due_on=self.correction_due_on.isoformat(),
                correction_due_provisional=self.correction_due_provisional,
            )
        )

    def receive_correction(self, on: date | None, today: date, calendar: WorkingDayCalendar) -> None:
        self._require("receive a correction", RequestState.AWAITING_CORRECTION)
        corrected_on = self._check_date(on, today)
        self.corrected_on = self.clock_started_on = self.last_acted_on = corrected_on
        self.state = RequestState.IN_PROGRESS
        due_on = self._set_deadline(calendar)
        self.events.append(
            events.DisclosureRequestCorrected(
                request_id=self.id,
                corrected_on=corrected_on.isoformat(),
                due_on=due_on.isoformat(),
                due_on_provisional=self.due_on_provisional,
            )
        )

    # --- extension (Art. 33) -------------------------------------------------------------------------------------

    def extend(
        self, days: int, approver: str, reason: str, on: date | None, today: date, calendar: WorkingDayCalendar
    ) -> None:
        self._require("extend", RequestState.IN_PROGRESS)
        if self.extension_days:
            raise IllegalTransition("extend a second time (Art. 33 allows one extension)", self.state)
        extended_on = self._check_date(on, today)
        assert self.due_on is not None
        checks = [
            (not 1 <= days <= MAX_EXTENSION_WORKING_DAYS, "days", f"1 to {MAX_EXTENSION_WORKING_DAYS} working days"),
            (not approver.strip(), "approver", "name the official who approved the extension"),
            (not reason.strip(), "reason", "must not be empty"),
            (extended_on > self.due_on, "on", f"an extension is decided before the deadline {self.due_on}"),
        ]
        violations = [FieldViolation(name, text) for failed, name, text in checks if failed]
        if violations:
            raise ValidationFailed(*violations)
        self.extension_days, self.extension_approver, self.extension_reason = days, approver.strip(), reason.strip()
        self.last_acted_on = extended_on
        due_on = self._set_deadline(calendar)
        self.events.append(
            events.DisclosureRequestExtended(
                request_id=self.id,
                extended_on=extended_on.isoformat(),
                days=days,
                due_on=due_on.isoformat(),
                due_on_provisional=self.due_on_provisional,
            )
        )

    # --- third-party consultation (Art. 32) --------------------------------------------------------------------

    def pause_for_third_party(self, on: date | None, today: date, calendar: WorkingDayCalendar) -> None:
        self._require("consult a third party", RequestState.IN_PROGRESS)
        paused_on = self._check_date(on, today)
        self.consultation_started_on = self.last_acted_on = paused_on
        self.consultation_lapsed_on = None
        self.state = RequestState.CONSULTING
        self._set_third_party_due(calendar)
        assert self.third_party_due_on is not None
        self.events.append(
            events.DisclosureRequestPaused(
                request_id=self.id,
                paused_on=paused_on.isoformat(),
                third_party_due_on=self.third_party_due_on.isoformat(),
                third_party_due_provisional=self.third_party_due_provisional,
            )
        )

    def resume(self, on: date | None, today: date, calendar: WorkingDayCalendar) -> None:
        self._require("end the third-party consultation", RequestState.CONSULTING)
        resumed_on = self._check_date(on, today)
        third_party_due = self._third_party_due(calendar)
        if resumed_on > third_party_due:  # the pause had already ended by itself (Art. 32)
            self.consultation_lapsed_on = third_party_due
        self._end_consultation(min(resumed_on, third_party_due), calendar)
        self.last_acted_on = resumed_on
        due_on = self._set_deadline(calendar)
        self.events.append(
            events.DisclosureRequestResumed(
                request_id=self.id,
                resumed_on=resumed_on.isoformat(),
                paused_working_days=self.paused_working_days,
                due_on=due_on.isoformat(),
                due_on_provisional=self.due_on_provisional,
            )
        )

    def lapse_consultation(self, today: date, calendar: WorkingDayCalendar) -> bool:
        """Art. 32: the third party's 15 working days passed without an opinion. The pause ends by itself on
        their last day and the reply clock runs again; True (and one event) the first time this is found."""
        if self.state is not RequestState.CONSULTING:
            return False
        third_party_due = self._third_party_due(calendar)
        if today <= third_party_due:
            return False
        self.consultation_lapsed_on = self.last_acted_on = third_party_due
        self._end_consultation(third_party_due, calendar)
        due_on = self._set_deadline(calendar)
        self.events.append(
            events.DisclosureRequestConsultationLapsed(
                request_id=self.id,
                third_party_due_on=third_party_due.isoformat(),
                detected_on=today.isoformat(),
                paused_working_days=self.paused_working_days,
                due_on=due_on.isoformat(),
                due_on_provisional=self.due_on_provisional,
            )
        )
        return True

    def _third_party_due(self, calendar: WorkingDayCalendar) -> date:
        if self.third_party_due_on is None:  # a consultation started before the limit was recorded
            self._set_third_party_due(calendar)
        assert self.third_party_due_on is not None
        return self.third_party_due_on

    def _end_consultation(self, ended_on: date, calendar: WorkingDayCalendar) -> None:
        assert self.consultation_started_on is not None
        self._record_pause(self.consultation_started_on, ended_on, calendar)
        self.consultation_started_on = self.third_party_due_on = None
        self.third_party_due_provisional = False
        self.state = RequestState.IN_PROGRESS

    # --- fees (信息处理费, Art. 42) ----------------------------------------------------------------------------

    def notify_fee(
        self,
        basis: str,
        quantity: int,
        earlier_items: int,
        on: date | None,
        today: date,
        calendar: WorkingDayCalendar,
    ) -> None:
        """One fee notice, its amount from the schedule; `earlier_items` are the same applicant's 件 earlier in
        the calendar month (按件计收)."""
        self._require("issue a fee notice", RequestState.IN_PROGRESS)
        if self.fee is not None:
            raise IllegalTransition("issue a second fee notice", self.state)
        notified_on = self._check_date(on, today)
        self.fee = FeeNotice.issue(basis, quantity, earlier_items, notified_on, calendar)
        self.last_acted_on = notified_on
        self.state = RequestState.AWAITING_FEE
        self.events.append(
            events.DisclosureRequestFeeNotified(
                request_id=self.id,
                notified_on=notified_on.isoformat(),
                basis=str(self.fee.basis),
                quantity=self.fee.quantity,
                amount_yuan=self.fee.amount_yuan,
                pay_by=self.fee.pay_by.isoformat(),
                pay_by_provisional=self.fee.pay_by_provisional,
            )
        )

    def record_fee_payment(self, on: date | None, today: date, calendar: WorkingDayCalendar) -> None:
        """The clock runs again; the working days from the notice to the payment do not count."""
        self._require("record the fee paid", RequestState.AWAITING_FEE)
        paid_on = self._check_date(on, today)
        assert self.fee is not None
        if paid_on > self.fee.pay_by:
            raise ValidationFailed.field(
                "on", f"the fee was due by {self.fee.pay_by}; unpaid, the request may be closed with 6.2"
            )
        self._record_pause(self.fee.notified_on, paid_on, calendar)
        self.fee = self.fee.paid(paid_on)
        self.last_acted_on = paid_on
        self.state = RequestState.IN_PROGRESS
        due_on = self._set_deadline(calendar)
        self.events.append(
            events.DisclosureRequestFeePaid(
                request_id=self.id,
                paid_on=paid_on.isoformat(),
                amount_yuan=self.fee.amount_yuan,
                paused_working_days=self.paused_working_days,
                due_on=due_on.isoformat(),
                due_on_provisional=self.due_on_provisional,
            )
        )

    def flag_if_fee_lapsed(self, today: date) -> bool:
        """True (and one event) the first time a fee notice is found unpaid after its last day."""
        if self.state is not RequestState.AWAITING_FEE or self.fee is None or self.fee.lapsed:
            return False
        if today <= self.fee.pay_by:
            return False
        self.fee = self.fee.flagged_lapsed()
        self.events.append(
            events.DisclosureRequestFeeLapsed(
                request_id=self.id,
                pay_by=self.fee.pay_by.isoformat(),
                detected_on=today.isoformat(),
                pay_by_provisional=self.fee.pay_by_provisional,
            )
        )
        return True

    # --- the answer (Art. 36) and complaints (Art. 39) -------------------------------------------------------

    def answer(
        self, outcome_code: str, reason: str, on: date | None, today: date, calendar: WorkingDayCalendar
    ) -> None:
        """Closes the request with an outcome of table 三. 5.1 is not an answer: a complaint is closed by
        `redirect_as_complaint`, which hands it to the hotline (and grants the hotline its applicant).

        6.1 and 6.2 close a request whose clock is stopped (awaiting the correction, Art. 30; awaiting the fee,
        Art. 42): the working days from the notice to this answer are paused like any other wait, so the answer
        is late only if the clock had already run out before the notice."""
        outcome = outcomes.BY_CODE.get(outcome_code)
        if outcome is None:
            raise ValidationFailed.field(
                "outcome", "one of the outcome codes of table 三: 1, 2, 3.1–3.8, 4.1–4.3, 5.1–5.5, 6.1–6.3"
            )
        if outcome is outcomes.COMPLAINT:
            raise ValidationFailed.field(
                "outcome",
                "5.1 (a complaint) is closed with the redirect_complaint action, which hands it to the hotline",
            )
        self._require_answerable(outcome)
        answered_on = self._check_date(on, today)
        checks = [
            (
                outcome.needs_reason and not reason.strip(),
                "reason",
                f"{outcome.code} needs the reason told to the applicant",
            ),
            (len(reason) > MAX_REASON, "reason", f"at most {MAX_REASON} characters"),
            (
                outcome is outcomes.STILL_UNCLEAR_AFTER_CORRECTION and self.corrected_on is None,
                "outcome",
                "4.3 applies only after a corrected request",
            ),
            (
                outcome is outcomes.NO_CORRECTION_IN_TIME
                and self.correction_due_on is not None
                and answered_on <= self.correction_due_on,
                "on",
                f"6.1 applies only after the period given to correct, which ends {self.correction_due_on}",
            ),
            (
                outcome is outcomes.FEE_UNPAID and self.fee is not None and answered_on <= self.fee.pay_by,
                "on",
                f"6.2 applies only after the fee's last day, {self.fee.pay_by if self.fee else ''}",
            ),
        ]
        violations = [FieldViolation(name, text) for failed, name, text in checks if failed]
        if violations:
            raise ValidationFailed(*violations)
        stopped_since = self._clock_stopped_since()
        if stopped_since is not None:
            self._record_pause(stopped_since, answered_on, calendar)
            self._set_deadline(calendar)
        self._close(outcome, reason.strip(), answered_on)

    def _clock_stopped_since(self) -> date | None:
        """The notice that stopped the clock of a request awaiting a correction or its fee; None otherwise."""
        if self.state is RequestState.AWAITING_CORRECTION:
            return self.correction_asked_on
        if self.state is RequestState.AWAITING_FEE and self.fee is not None:
            return self.fee.notified_on
        return None

    def redirect_as_complaint(self, reason: str, division: str, on: date | None, today: date) -> None:
        """Art. 39: a complaint dressed as a request is closed with 5.1 and handed to the hotline."""
        self._require("redirect to the hotline", RequestState.IN_PROGRESS)
        redirected_on = self._check_date(on, today)
        if not reason.strip():
            raise ValidationFailed.field("reason", "must not be empty")
        self._close(outcomes.COMPLAINT, reason.strip(), redirected_on)
        self.events.append(
            events.DisclosureRequestRedirected(
                request_id=self.id, number=self.number, redirected_on=redirected_on.isoformat(), division=division
            )
        )

    def _require_answerable(self, outcome: Outcome) -> None:
        """6.1 (no correction in time) closes a request awaiting correction, 6.2 (fee unpaid) one awaiting its
        fee; every other outcome needs one in progress."""
        if outcome is outcomes.NO_CORRECTION_IN_TIME:
            self._require(f"answer {outcome.code}", RequestState.AWAITING_CORRECTION)
        elif outcome is outcomes.FEE_UNPAID:
            self._require(f"answer {outcome.code}", RequestState.AWAITING_FEE)
        else:
            self._require(f"answer {outcome.code}", RequestState.IN_PROGRESS)

    def _close(self, outcome: Outcome, reason: str, answered_on: date) -> None:
        assert self.due_on is not None and self.received_on is not None
        self.outcome, self.outcome_reason = outcome, reason
        self.answered_on = self.last_acted_on = answered_on
        self.state = RequestState.ANSWERED
        self.events.append(
            events.DisclosureRequestAnswered(
                request_id=self.id,
                answered_on=answered_on.isoformat(),
                outcome=outcome.code,
                due_on=self.due_on.isoformat(),
                late=self.answered_late,
                received_on=self.received_on.isoformat(),
                applicant_type=str(self.applicant_type),
                due_on_provisional=self.due_on_provisional,
            )
        )

    @property
    def answered_late(self) -> bool:
        return self.answered_on is not None and self.due_on is not None and self.answered_on > self.due_on

    # --- provisional dates, counted again (docs/working-days.md) -----------------------------------------------

    @property
    def provisional(self) -> bool:
        """A date of the request still depends on a year without an official holiday arrangement."""
        fee_provisional = self.fee is not None and self.fee.pay_by_provisional
        return any(
            (
                self.due_on_provisional,
                self.third_party_due_provisional,
                self.correction_due_provisional,
                fee_provisional,
            )
        )

    def recompute(self, today: date, calendar: WorkingDayCalendar) -> bool:
        """Counts the dates of an open request again on the calendar as it is now: provisional ones once the
        official arrangement arrives, official ones when their year's schedule was corrected. True, with one
        history entry per changed date and one event, when a date moved or stopped (or started) being
        provisional."""
        if self.state is RequestState.ANSWERED or self.clock_started_on is None:
            return False
        before = self._dates()
        self.pauses = tuple(Pause.counted(p.started_on, p.ended_on, calendar) for p in self.pauses)
        self.paused_working_days += sum(p.working_days for p in self.pauses) - sum(before["pauses"])
        self._set_deadline(calendar)
        if self.consultation_started_on is not None:
            self._set_third_party_due(calendar)
        if self.correction_due_on is not None:
            self._set_correction_due(calendar)
        if self.fee is not None:
            self.fee = self.fee.recounted(calendar)
        after = self._dates()
        changes = tuple(
            DateChange.of(today, name, before[name], after[name])
            for name in ("due_on", "third_party_due_on", "correction_due_on", "pay_by")
            if name in before and before[name] != after[name]
        )
        if not changes:
            return False
        self.recomputations += changes
        self.events.append(
            events.DisclosureRequestRecomputed(
                request_id=self.id,
                recomputed_on=today.isoformat(),
                dates=[change.payload() for change in changes],
                overdue_withdrawn=self._withdraw_overdue(before, today),
                fee_lapse_withdrawn=self._withdraw_fee_lapse(before, today),
            )
        )
        return True

    def _dates(self) -> dict[str, tuple]:
        dates: dict[str, tuple] = {"pauses": tuple(p.working_days for p in self.pauses)}
        if self.due_on is not None:
            dates["due_on"] = (self.due_on, self.due_on_provisional)
        if self.third_party_due_on is not None:
            dates["third_party_due_on"] = (self.third_party_due_on, self.third_party_due_provisional)
        if self.correction_due_on is not None:
            dates["correction_due_on"] = (self.correction_due_on, self.correction_due_provisional)
        if self.fee is not None:
            dates["pay_by"] = (self.fee.pay_by, self.fee.pay_by_provisional)
        return dates

    def _withdraw_overdue(self, before: dict[str, tuple], today: date) -> bool:
        """Flagged from a deadline that moved later and has not passed: not overdue after all."""
        assert self.due_on is not None
        if not self.overdue or self.due_on <= before["due_on"][0] or today > self.due_on:
            return False
        self.overdue = False
        return True

    def _withdraw_fee_lapse(self, before: dict[str, tuple], today: date) -> bool:
        fee = self.fee
        if fee is None or not fee.lapsed or fee.pay_by <= before["pay_by"][0] or today > fee.pay_by:
            return False
        self.fee = fee.lapse_withdrawn()
        return True

    # --- overdue detection ---------------------------------------------------------------------------------------

    def flag_if_overdue(self, today: date) -> bool:
        """True (and one event) the first time a running clock is found past its deadline."""
        if self.state is not RequestState.IN_PROGRESS or self.overdue:
            return False
        assert self.due_on is not None
        if today <= self.due_on:
            return False
        self.overdue = True
        self.events.append(
            events.DisclosureRequestOverdue(
                request_id=self.id,
                due_on=self.due_on.isoformat(),
                detected_on=today.isoformat(),
                due_on_provisional=self.due_on_provisional,
            )
        )
        return True

    # --- helpers -------------------------------------------------------------------------------------------------

    def _record_pause(self, started_on: date, ended_on: date, calendar: WorkingDayCalendar) -> None:
        pause = Pause.counted(started_on, ended_on, calendar)
        self.pauses += (pause,)
        self.paused_working_days += pause.working_days

    def _set_third_party_due(self, calendar: WorkingDayCalendar) -> None:
        """Art. 32: the third party has 15 working days from the consultation."""
        assert self.consultation_started_on is not None
        started_on = self.consultation_started_on
        self.third_party_due_on = calendar.add_working_days(started_on, THIRD_PARTY_WORKING_DAYS)
        self.third_party_due_provisional = calendar.provisional_between(started_on, self.third_party_due_on)

    def _set_correction_due(self, calendar: WorkingDayCalendar) -> None:
        assert self.correction_asked_on is not None
        asked_on = self.correction_asked_on
        self.correction_due_on = calendar.add_working_days(asked_on, self.correction_period_days)
        self.correction_due_provisional = calendar.provisional_between(asked_on, self.correction_due_on)

    def _set_deadline(self, calendar: WorkingDayCalendar) -> date:
        """The reply deadline, provisional when its count or a pause in it ran through such a year."""
        assert self.clock_started_on is not None
        working_days = REPLY_WORKING_DAYS + self.extension_days + self.paused_working_days
        self.due_on = calendar.add_working_days(self.clock_started_on, working_days)
        self.due_on_provisional = calendar.provisional_between(self.clock_started_on, self.due_on) or any(
            pause.provisional for pause in self.pauses
        )
        return self.due_on

    def _require(self, action: str, *allowed: RequestState) -> None:
        if self.state not in allowed:
            raise IllegalTransition(action, self.state)

    def _check_date(self, on: date | None, today: date) -> date:
        violations = _date_violations("on", on or today, self.last_acted_on, today)
        if violations:
            raise ValidationFailed(*violations)
        return on or today


def _date_violations(name: str, day: date | None, not_before: date | None, today: date) -> list[FieldViolation]:
    if day is None:
        return [FieldViolation(name, "must be a date YYYY-MM-DD")]
    if day > today:
        return [FieldViolation(name, "must not be in the future")]
    if not_before is not None and day < not_before:
        return [FieldViolation(name, f"must not be before the previous step, {not_before}")]
    return []
