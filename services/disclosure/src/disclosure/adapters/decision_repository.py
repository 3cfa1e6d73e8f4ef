"""Major decisions and their public comments, in the database.

A change reads the decision row FOR UPDATE (PostgreSQL; SQLite's BEGIN IMMEDIATE already serialises writers), so
concurrent commenters queue instead of losing a count or failing each other. The adoption of each comment
(意见采纳情况) is stored on the comment's row and read back with the decision.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sunshine_kit.timestamps import as_utc

from disclosure.adapters import date_changes_json
from disclosure.adapters.tables import decision_comments, major_decisions
from disclosure.domain.comment_adoption import Adoption, CommentAdoption, Feedback
from disclosure.domain.decision_comments import DecisionComment
from disclosure.domain.major_decision import Consultation, DecisionState, MajorDecision

_d = major_decisions.c
_c = decision_comments.c
MAX_LIST = 200


class DecisionRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, decision: MajorDecision) -> None:
        await self._session.execute(insert(major_decisions).values(**_row_values(decision), id=decision.id))

    async def save(self, decision: MajorDecision) -> None:
        await self._session.execute(update(major_decisions).where(_d.id == decision.id).values(**_row_values(decision)))
        for a in decision.feedback.adoptions if decision.feedback else ():
            await self._session.execute(
                update(decision_comments)
                .where(_c.id == a.comment_id)
                .values(adoption=str(a.adoption), adoption_summary=a.summary, adoption_reason=a.reason)
            )

    async def get(self, decision_id: str, for_update: bool = False) -> MajorDecision | None:
        query = select(major_decisions).where(_d.id == decision_id)
        row = (await self._session.execute(query.with_for_update() if for_update else query)).one_or_none()
        return None if row is None else (await self._decisions([row]))[0]

    async def public(self, state: DecisionState, today: date) -> list[MajorDecision]:
        """Decisions in `state` whose consultation has opened, latest opened first."""
        query = (
            select(major_decisions)
            .where(_d.state == str(state), _d.opens_on <= today)
            .order_by(_d.opens_on.desc(), _d.id)
            .limit(MAX_LIST)
        )
        return await self._decisions(list(await self._session.execute(query)))

    async def ids_to_recount(self, changed_years: frozenset[int]) -> list[str]:
        """Decisions not yet taken whose notice or hearing window was counted through a year without an official
        arrangement; all of them when a year's official schedule changed."""
        query = select(_d.id).where(_d.state != str(DecisionState.DECIDED))
        if not changed_years:
            query = query.where(_d.notice_provisional | _d.hearing_by_provisional)
        return list((await self._session.execute(query)).scalars())

    async def add_comment(self, comment: DecisionComment) -> None:
        await self._session.execute(
            insert(decision_comments).values(
                id=comment.id,
                decision_id=comment.decision_id,
                text=comment.text,
                commenter_name=comment.commenter_name,
                commenter_contact=comment.commenter_contact,
                submitted_at=comment.submitted_at,
            )
        )

    async def comments(self, decision_id: str) -> list[DecisionComment]:
        query = select(decision_comments).where(_c.decision_id == decision_id).order_by(_c.submitted_at, _c.id)
        return [
            DecisionComment(
                id=row.id,
                decision_id=row.decision_id,
                text=row.text,
                commenter_name=row.commenter_name,
                commenter_contact=row.commenter_contact,
                submitted_at=as_utc(row.submitted_at),
            )
            for row in await self._session.execute(query)
        ]

    async def _decisions(self, rows: list[Any]) -> list[MajorDecision]:
        """The decisions of the rows, each with its published adoption of comments (one query for all)."""
        published = [row.id for row in rows if row.feedback_published_on is not None]
        adoptions: dict[str, list[CommentAdoption]] = {decision_id: [] for decision_id in published}
        if published:
            query = select(_c.id, _c.decision_id, _c.adoption, _c.adoption_summary, _c.adoption_reason).where(
                _c.decision_id.in_(published), _c.adoption != ""
            )
            for c in await self._session.execute(query.order_by(_c.decision_id, _c.submitted_at, _c.id)):
                found = adoptions[c.decision_id]
                found.append(
                    CommentAdoption(c.id, len(found) + 1, c.adoption_summary, Adoption(c.adoption), c.adoption_reason)
                )
        decisions = [_decision(row) for row in rows]
        for decision, row in zip(decisions, rows, strict=True):
            if row.feedback_published_on is not None:
                decision.feedback = Feedback(row.feedback_explanation, tuple(adoptions[row.id]))
        return decisions


def _row_values(decision: MajorDecision) -> dict[str, Any]:
    c = decision.consultation
    return {
        "title": c.title,
        "draft_text": c.draft_text,
        "lead_unit": c.lead_unit,
        "responsible_units": json.dumps(list(c.responsible_units), ensure_ascii=False),
        "opens_on": c.opens_on,
        "notice_ends_on": c.notice_ends_on,
        "notice_provisional": decision.notice_provisional,
        "notice_earliest_end": decision.notice_earliest_end,
        "hearing_by": decision.hearing_by,
        "hearing_by_provisional": decision.hearing_by_provisional,
        "recomputations": date_changes_json.to_json(decision.recomputations),
        "state": str(decision.state),
        "comment_count": decision.comment_count,
        "closed_on": decision.closed_on,
        "hearing_on": decision.hearing_on,
        "risk_passed": decision.risk_passed,
        "expert_reviewed_on": decision.expert_reviewed_on,
        "decided_on": decision.decided_on,
        "feedback_published_on": decision.feedback_published_on,
        "adopted_count": decision.adopted_count,
        "feedback_explanation": decision.feedback.explanation if decision.feedback else "",
    }


def _decision(row: Any) -> MajorDecision:
    consultation = Consultation(
        title=row.title,
        draft_text=row.draft_text,
        lead_unit=row.lead_unit,
        responsible_units=tuple(json.loads(row.responsible_units)),
        opens_on=row.opens_on,
        notice_ends_on=row.notice_ends_on,
    )
    return MajorDecision(
        id=row.id,
        consultation=consultation,
        state=DecisionState(row.state),
        comment_count=row.comment_count,
        closed_on=row.closed_on,
        hearing_on=row.hearing_on,
        risk_passed=row.risk_passed,
        expert_reviewed_on=row.expert_reviewed_on,
        decided_on=row.decided_on,
        feedback_published_on=row.feedback_published_on,
        adopted_count=row.adopted_count,
        notice_provisional=row.notice_provisional,
        notice_earliest_end=row.notice_earliest_end,
        hearing_by=row.hearing_by,
        hearing_by_provisional=row.hearing_by_provisional,
        recomputations=date_changes_json.from_json(row.recomputations),
    )
