"""Major decisions (重大行政决策, domain.md §1.2, from 成办发〔2014〕34号 and 〔2015〕28号) as a state machine.

consulting ──close (after the notice)──▶ closed ──decide (passed risk assessment + expert review)──▶ decided

- The draft is open for public comment (征求意见) for at least 10 working days: the notice may end no earlier
  than the 10th working day after it opens (the opening day is not counted, 《民法典》 Art. 201).
- A hearing (听证), when held, falls within the 5 working days after the notice ends.
- Both counts are made again when the calendar changes (`recompute`, docs/working-days.md): a notice found
  shorter than 10 working days on the official arrangement is flagged (`notice_short`) and cannot close until
  the officer extends it (`extend_notice`, 延长公示期); a scheduled hearing found after its window's last day is
  flagged (`hearing_outside_window`) until it is scheduled again.
- The decision may not go forward without a passed risk assessment (风险评估) and an expert review (专家论证).
- How the comments were adopted (意见采纳情况) is published once, after the consultation closed: an overall
  explanation and a verdict for every comment (`comment_adoption`).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from enum import StrEnum

from google.protobuf.message import Message
from sunshine.events.v1 import disclosure_pb2 as events
from sunshine_kit.errors import FieldViolation, IllegalTransition, ValidationFailed
from sunshine_kit.working_days import WorkingDayCalendar

from disclosure.domain.comment_adoption import Adoption, AdoptionDraft, Feedback
from disclosure.domain.date_changes import DateChange

MIN_NOTICE_WORKING_DAYS = 10
HEARING_WITHIN_WORKING_DAYS = 5
MAX_TITLE = 200


class DecisionState(StrEnum):
    CONSULTING = "consulting"  # 征求意见中
    CLOSED = "closed"  # 征求意见结束
    DECIDED = "decided"  # 已决策


@dataclass(frozen=True)
class Consultation:
    title: str
    draft_text: str
    lead_unit: str  # 牵头单位
    responsible_units: tuple[str, ...]  # 责任单位
    opens_on: date
    notice_ends_on: date


@dataclass
class MajorDecision:
    id: str
    consultation: Consultation
    state: DecisionState = DecisionState.CONSULTING
    comment_count: int = 0
    closed_on: date | None = None
    hearing_on: date | None = None
    risk_passed: bool | None = None  # None: no assessment on record
    expert_reviewed_on: date | None = None
    decided_on: date | None = None
    feedback_published_on: date | None = None
    adopted_count: int = 0
    feedback: Feedback | None = None
    # The 10-working-day check counted through a year whose holiday arrangement is not published yet (预计).
    notice_provisional: bool = False
    # The 10th working day after opening: the notice may end no earlier.
    notice_earliest_end: date | None = None
    # The hearing window's last day (5 working days after the notice), as the scheduled hearing was checked.
    hearing_by: date | None = None
    hearing_by_provisional: bool = False
    recomputations: tuple[DateChange, ...] = ()
    events: list[Message] = field(default_factory=list, repr=False, compare=False)

    @classmethod
    def open(cls, consultation: Consultation, today: date, calendar: WorkingDayCalendar) -> MajorDecision:
        c = consultation
        earliest_end = calendar.add_working_days(c.opens_on, MIN_NOTICE_WORKING_DAYS)
        checks = [
            (not c.title.strip(), "title", "must not be empty"),
            (len(c.title) > MAX_TITLE, "title", f"at most {MAX_TITLE} characters"),
            (not c.draft_text.strip(), "draft_text", "must not be empty"),
            (not c.lead_unit.strip(), "lead_unit", "name the lead unit (牵头单位)"),
            (c.opens_on < today, "opens_on", "must not be in the past"),
            (
                c.notice_ends_on < earliest_end,
                "notice_ends_on",
                f"at least {MIN_NOTICE_WORKING_DAYS} working days of notice: {earliest_end.isoformat()} or later",
            ),
        ]
        violations = [FieldViolation(name, text) for failed, name, text in checks if failed]
        if violations:
            raise ValidationFailed(*violations)
        decision = cls(id=str(uuid.uuid4()), consultation=c)
        decision._count_notice(calendar)
        decision.events.append(
            events.DecisionConsultationOpened(
                decision_id=decision.id,
                title=c.title,
                lead_unit=c.lead_unit,
                responsible_units=list(c.responsible_units),
                opens_on=c.opens_on.isoformat(),
                notice_ends_on=c.notice_ends_on.isoformat(),
                notice_working_days=calendar.working_days_between(c.opens_on, c.notice_ends_on),
                notice_provisional=decision.notice_provisional,
            )
        )
        return decision

    def is_public(self, today: date) -> bool:
        """The public sees a decision from the day its consultation opens."""
        return self.consultation.opens_on <= today

    def comment(self, today: date) -> None:
        """A public comment counts while the notice runs."""
        c = self.consultation
        if self.state != DecisionState.CONSULTING or not c.opens_on <= today <= c.notice_ends_on:
            raise IllegalTransition("comment outside the notice period", str(self.state))
        self.comment_count += 1

    def close(self, on: date) -> None:
        self._require("close", DecisionState.CONSULTING)
        if self.notice_short:
            assert self.notice_earliest_end is not None
            raise IllegalTransition(
                f"close a notice shorter than {MIN_NOTICE_WORKING_DAYS} working days; extend it to "
                f"{self.notice_earliest_end.isoformat()} or later first",
                str(self.state),
            )
        if on <= self.consultation.notice_ends_on:
            raise ValidationFailed.field("on", f"the notice runs until {self.consultation.notice_ends_on.isoformat()}")
        self.state, self.closed_on = DecisionState.CLOSED, on
        self.events.append(
            events.DecisionConsultationClosed(
                decision_id=self.id, closed_on=on.isoformat(), comment_count=self.comment_count
            )
        )

    def schedule_hearing(self, hearing_on: date, calendar: WorkingDayCalendar) -> None:
        if self.state == DecisionState.DECIDED:
            raise IllegalTransition("schedule a hearing", str(self.state))
        ends = self.consultation.notice_ends_on
        last = calendar.add_working_days(ends, HEARING_WITHIN_WORKING_DAYS)
        if not ends < hearing_on <= last or not calendar.is_working_day(hearing_on):
            window = f"a working day from {calendar.add_working_days(ends, 1).isoformat()} to {last.isoformat()}"
            raise ValidationFailed.field("hearing_on", window)
        self.hearing_on, self.hearing_by = hearing_on, last
        self.hearing_by_provisional = calendar.provisional_between(ends, last)

    def extend_notice(self, notice_ends_on: date, today: date, calendar: WorkingDayCalendar) -> None:
        """延长公示期: the notice runs until `notice_ends_on`, at least 10 working days from opening and not before
        today. A hearing scheduled before is cancelled: its window follows the notice's end."""
        self._require("extend the notice", DecisionState.CONSULTING)
        c = self.consultation
        earliest_end = calendar.add_working_days(c.opens_on, MIN_NOTICE_WORKING_DAYS)
        first_allowed = max(earliest_end, today, c.notice_ends_on + timedelta(days=1))
        if notice_ends_on < first_allowed:
            raise ValidationFailed.field("notice_ends_on", f"{first_allowed.isoformat()} or later")
        old_end, cancelled = c.notice_ends_on, self.hearing_on is not None
        self.consultation = replace(c, notice_ends_on=notice_ends_on)
        self._count_notice(calendar)
        self.hearing_on, self.hearing_by, self.hearing_by_provisional = None, None, False
        self.events.append(
            events.DecisionNoticeExtended(
                decision_id=self.id,
                extended_on=today.isoformat(),
                old_notice_ends_on=old_end.isoformat(),
                notice_ends_on=notice_ends_on.isoformat(),
                notice_working_days=calendar.working_days_between(c.opens_on, notice_ends_on),
                notice_provisional=self.notice_provisional,
                hearing_cancelled=cancelled,
            )
        )

    def record_risk_assessment(self, passed: bool) -> None:
        if self.state == DecisionState.DECIDED:
            raise IllegalTransition("record a risk assessment", str(self.state))
        self.risk_passed = passed

    def record_expert_review(self, on: date) -> None:
        if self.state == DecisionState.DECIDED:
            raise IllegalTransition("record an expert review", str(self.state))
        self.expert_reviewed_on = on

    def decide(self, on: date) -> None:
        self._require("decide", DecisionState.CLOSED)
        if self.risk_passed is not True or self.expert_reviewed_on is None:
            raise IllegalTransition("decide without a passed risk assessment and an expert review", str(self.state))
        self.state, self.decided_on = DecisionState.DECIDED, on
        self.events.append(
            events.DecisionTaken(
                decision_id=self.id,
                decided_on=on.isoformat(),
                expert_reviewed_on=self.expert_reviewed_on.isoformat(),
                hearing_on=self.hearing_on.isoformat() if self.hearing_on else "",
            )
        )

    def publish_feedback(
        self, explanation: str, drafts: Sequence[AdoptionDraft], comment_ids: Sequence[str], on: date
    ) -> None:
        """`comment_ids`: the comments received, in order; each needs exactly one verdict."""
        if self.state == DecisionState.CONSULTING or self.feedback_published_on is not None:
            raise IllegalTransition("publish the adoption of comments", str(self.state))
        feedback = Feedback.checked(explanation, drafts, comment_ids)
        self.feedback, self.feedback_published_on = feedback, on
        self.adopted_count = feedback.count(Adoption.ADOPTED)
        self.events.append(
            events.DecisionFeedbackPublished(
                decision_id=self.id,
                published_on=on.isoformat(),
                comment_count=self.comment_count,
                adopted_count=self.adopted_count,
                partly_adopted_count=feedback.count(Adoption.PARTLY_ADOPTED),
                not_adopted_count=feedback.count(Adoption.NOT_ADOPTED),
            )
        )

    # --- counted again when the calendar changes (docs/working-days.md) ------------------------------------------

    @property
    def notice_short(self) -> bool:
        """The notice ends before its 10th working day, as last counted."""
        earliest = self.notice_earliest_end
        return earliest is not None and self.consultation.notice_ends_on < earliest

    @property
    def hearing_outside_window(self) -> bool:
        return self.hearing_on is not None and self.hearing_by is not None and self.hearing_on > self.hearing_by

    def recompute(self, today: date, calendar: WorkingDayCalendar) -> bool:
        """Counts the notice period and the scheduled hearing's window again on the calendar as it is now. True,
        with a history entry per moved date and one event (saying whether the notice is short now, or the hearing
        outside its window), when one moved or stopped (or started) being provisional."""
        if self.state is DecisionState.DECIDED:
            return False
        before = self._counted_dates()
        self._count_notice(calendar)
        if self.hearing_on is not None:
            ends = self.consultation.notice_ends_on
            self.hearing_by = calendar.add_working_days(ends, HEARING_WITHIN_WORKING_DAYS)
            self.hearing_by_provisional = calendar.provisional_between(ends, self.hearing_by)
        after = self._counted_dates()
        changes = tuple(
            DateChange.of(today, name, before[name], after[name])
            for name in after
            if name in before and before[name] != after[name]
        )
        if not changes:
            return False
        self.recomputations += changes
        c = self.consultation
        self.events.append(
            events.DecisionConsultationRecomputed(
                decision_id=self.id,
                recomputed_on=today.isoformat(),
                dates=[change.payload() for change in changes],
                notice_working_days=calendar.working_days_between(c.opens_on, c.notice_ends_on),
                notice_short=self.notice_short,
                hearing_outside_window=self.hearing_outside_window,
            )
        )
        return True

    def _count_notice(self, calendar: WorkingDayCalendar) -> None:
        c = self.consultation
        self.notice_earliest_end = calendar.add_working_days(c.opens_on, MIN_NOTICE_WORKING_DAYS)
        counted_to = max(c.notice_ends_on, self.notice_earliest_end)
        self.notice_provisional = calendar.provisional_between(c.opens_on, counted_to)

    def _counted_dates(self) -> dict[str, tuple[date, bool]]:
        dates = {}
        if self.notice_earliest_end is not None:
            dates["notice_earliest_end"] = (self.notice_earliest_end, self.notice_provisional)
        if self.hearing_by is not None:
            dates["hearing_by"] = (self.hearing_by, self.hearing_by_provisional)
        return dates

    def _require(self, action: str, state: DecisionState) -> None:
        if self.state != state:
            raise IllegalTransition(action, str(self.state))
