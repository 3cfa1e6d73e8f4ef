"""Major decision (重大行政决策) use cases: the disclosure officer of the stack's division opens and moves the
consultation; the public reads opened decisions and comments without signing in."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from sunshine_kit.auth import Principal, Role, check_act, require_role
from sunshine_kit.errors import NotFound, ValidationFailed
from sunshine_kit.identity import StackIdentity
from sunshine_kit.timestamps import china_date
from sunshine_kit.working_days import WorkingDayCalendar

from disclosure.domain.comment_adoption import AdoptionDraft
from disclosure.domain.decision_comments import CommentDraft, DecisionComment
from disclosure.domain.major_decision import Consultation, DecisionState, MajorDecision
from disclosure.service.unit_of_work import DisclosureUnitOfWork

ACTIONS = (
    "schedule_hearing",
    "extend_notice",
    "record_risk_assessment",
    "record_expert_review",
    "close",
    "decide",
    "publish_feedback",
)


@dataclass(frozen=True)
class DecisionAction:
    """One step asked for by staff; `on` None means today."""

    name: str
    on: date | None = None
    hearing_on: date | None = None
    notice_ends_on: date | None = None
    risk_passed: bool = False
    feedback_explanation: str = ""
    adoptions: tuple[AdoptionDraft, ...] = ()


class DecisionService:
    def __init__(
        self,
        unit_of_work: Callable[[], DisclosureUnitOfWork],
        identity: StackIdentity,
        calendar: WorkingDayCalendar,
        clock: Callable[[], datetime],
    ) -> None:
        self._unit_of_work = unit_of_work
        self._identity = identity
        self._calendar = calendar
        self._clock = clock

    # --- staff -------------------------------------------------------------------------------------------------

    async def open(self, principal: Principal, consultation: Consultation) -> MajorDecision:
        self._check_officer(principal)
        decision = MajorDecision.open(consultation, self._today(), self._calendar)
        async with self._unit_of_work() as uow:
            await uow.decisions.add(decision)
            await uow.publish(decision.events)
            await uow.commit()
        return decision

    async def act(self, principal: Principal, decision_id: str, action: DecisionAction) -> MajorDecision:
        self._check_officer(principal)
        on = self._day_of(action)
        async with self._unit_of_work() as uow:
            decision = await self._load(uow, decision_id, for_update=True)
            await self._apply(uow, decision, action, on)
            await uow.decisions.save(decision)
            await uow.publish(decision.events)
            await uow.commit()
        return decision

    async def comments(self, principal: Principal, decision_id: str) -> list[DecisionComment]:
        """The comments in full, with the commenter's name and contact when given."""
        self._check_officer(principal)
        async with self._unit_of_work() as uow:
            await self._load(uow, decision_id)
            comments = await uow.decisions.comments(decision_id)
            if any(c.commenter_name or c.commenter_contact for c in comments):
                uow.audited_read("commenters", f"decision:{decision_id}")
                await uow.commit()
        return comments

    # --- public: decisions whose consultation has opened ---------------------------------------------------------

    async def get(self, decision_id: str) -> MajorDecision:
        async with self._unit_of_work() as uow:
            return await self._public(uow, decision_id)

    async def listed(self, state: str) -> list[MajorDecision]:
        if state not in DecisionState.__members__.values():
            raise ValidationFailed.field("state", f"one of {', '.join(DecisionState)}")
        async with self._unit_of_work() as uow:
            return await uow.decisions.public(DecisionState(state), self._today())

    async def comment(self, decision_id: str, draft: CommentDraft) -> DecisionComment:
        """No event: the comment is personal data, and the count travels with the closing event."""
        async with self._unit_of_work() as uow:
            decision = await self._public(uow, decision_id, for_update=True)
            comment = DecisionComment.submit(decision, draft, self._clock())
            await uow.decisions.add_comment(comment)
            await uow.decisions.save(decision)
            await uow.commit()
        return comment

    # --- helpers -----------------------------------------------------------------------------------------------

    async def _apply(
        self, uow: DisclosureUnitOfWork, decision: MajorDecision, action: DecisionAction, on: date
    ) -> None:
        match action.name:
            case "schedule_hearing":
                if action.hearing_on is None:
                    raise ValidationFailed.field("hearing_on", "the day of the hearing, YYYY-MM-DD")
                decision.schedule_hearing(action.hearing_on, self._calendar)
            case "extend_notice":
                if action.notice_ends_on is None:
                    raise ValidationFailed.field("notice_ends_on", "the notice's new last day, YYYY-MM-DD")
                decision.extend_notice(action.notice_ends_on, self._today(), self._calendar)
            case "record_risk_assessment":
                decision.record_risk_assessment(action.risk_passed)
            case "record_expert_review":
                decision.record_expert_review(on)
            case "close":
                decision.close(on)
            case "decide":
                decision.decide(on)
            case "publish_feedback":
                comment_ids = [c.id for c in await uow.decisions.comments(decision.id)]
                decision.publish_feedback(action.feedback_explanation, action.adoptions, comment_ids, on)
            case _:
                raise ValidationFailed.field("action", f"one of {', '.join(ACTIONS)}")

    def _day_of(self, action: DecisionAction) -> date:
        today = self._today()
        if action.on is not None and action.on > today:
            raise ValidationFailed.field("on", f"must not be in the future (today is {today.isoformat()})")
        return action.on or today

    def _today(self) -> date:
        return china_date(self._clock())

    def _check_officer(self, principal: Principal) -> None:
        require_role(principal, Role.DISCLOSURE_OFFICER)
        check_act(principal, self._identity.division)

    @staticmethod
    async def _load(uow: DisclosureUnitOfWork, decision_id: str, for_update: bool = False) -> MajorDecision:
        decision = await uow.decisions.get(decision_id, for_update)
        if decision is None:
            raise NotFound(f"no major decision {decision_id}")
        return decision

    async def _public(self, uow: DisclosureUnitOfWork, decision_id: str, for_update: bool = False) -> MajorDecision:
        """Before its consultation opens a decision does not exist for the public."""
        decision = await uow.decisions.get(decision_id, for_update)
        if decision is None or not decision.is_public(self._today()):
            raise NotFound(f"no major decision {decision_id}")
        return decision
