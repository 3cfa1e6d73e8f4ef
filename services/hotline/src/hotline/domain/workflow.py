"""The closed loop (闭环) as a state machine: which actor may take which action in which state.

受理 → 派单 → 签收 → 办理 → 答复 → 审核 → 办结 → 回访 → 评价, with the side paths 退单/改派 (and the review of a
dispatch dispute), 延期, 催办/督办, 重办, 并单 and 提级. The target state of each action is decided by the
Ticket; this table says only where an action may start and who may take it.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from sunshine_kit.errors import IllegalTransition, PermissionDenied

from hotline.domain.vocabulary import TicketState as S


class Actor(StrEnum):
    """Who acts: the kit's staff roles, plus a citizen (by number and code) and the service itself."""

    OPERATOR = "hotline_operator"
    UNIT = "handling_unit"
    LEADER = "leader"
    EVALUATOR = "evaluator"
    DISCLOSURE_OFFICER = "disclosure_officer"
    STACK_OPERATOR = "stack_operator"
    CITIZEN = "citizen"
    SYSTEM = "system"


class Action(StrEnum):
    DISPATCH = "dispatch"  # 派单
    ANSWER_DIRECTLY = "answer_directly"  # 直接答复
    MERGE = "merge"  # 并单
    SIGN = "sign"  # 签收
    RETURN = "return"  # 退单 (派单异议)
    REASSIGN = "reassign"  # 改派
    REJECT_RETURN = "reject_return"  # 驳回退单: the dispute is reviewed and the ticket goes back to the unit
    START = "start"  # 办理
    ANSWER = "answer"  # 答复
    REVIEW = "review"  # 审核
    CALLBACK = "callback"  # 回访
    EVALUATE = "evaluate"  # 评价
    REOPEN = "reopen"  # 重办
    REOPEN_FROM_ABOVE = "reopen_from_above"  # 重办 of a handed-down ticket, asked by the origin stack
    REQUEST_EXTENSION = "request_extension"  # 延期申请
    DECIDE_EXTENSION = "decide_extension"  # 延期审批
    URGE = "urge"  # 催办
    SUPERVISE = "supervise"  # 督办
    ESCALATE = "escalate"  # 提级


@dataclass(frozen=True)
class Rule:
    sources: frozenset[S]
    actors: frozenset[Actor]


def _rule(sources: set[S], *actors: Actor) -> Rule:
    return Rule(frozenset(sources), frozenset(actors))


IN_HANDS = {S.SIGNED, S.HANDLING}
UNDER_WAY = {S.DISPATCHED, S.SIGNED, S.HANDLING}
# Handed down (下派), a ticket is under way at the child stack, to which 催办 and 督办 are passed on.
PRESSABLE = UNDER_WAY | {S.HANDED_DOWN}
OPERATOR, UNIT, LEADER = Actor.OPERATOR, Actor.UNIT, Actor.LEADER

RULES: dict[Action, Rule] = {
    Action.DISPATCH: _rule({S.ACCEPTED}, OPERATOR),
    Action.ANSWER_DIRECTLY: _rule({S.ACCEPTED}, OPERATOR),
    Action.MERGE: _rule({S.ACCEPTED, S.RETURNED}, OPERATOR),
    Action.SIGN: _rule({S.DISPATCHED}, UNIT),
    Action.RETURN: _rule({S.DISPATCHED, S.SIGNED}, UNIT),
    Action.REASSIGN: _rule({S.DISPATCHED, S.RETURNED}, OPERATOR),
    Action.REJECT_RETURN: _rule({S.RETURNED}, OPERATOR),
    Action.START: _rule({S.SIGNED}, UNIT),
    Action.ANSWER: _rule({S.HANDLING}, UNIT),
    Action.REVIEW: _rule({S.ANSWERED}, OPERATOR),
    Action.CALLBACK: _rule({S.CLOSED}, OPERATOR),
    Action.EVALUATE: _rule({S.CLOSED, S.CALLED_BACK}, OPERATOR, Actor.CITIZEN),
    Action.REOPEN: _rule({S.CALLED_BACK}, OPERATOR),
    # At the child, on the origin's word: the child's own callback is not required.
    Action.REOPEN_FROM_ABOVE: _rule({S.CLOSED, S.CALLED_BACK, S.EVALUATED}, Actor.SYSTEM),
    Action.REQUEST_EXTENSION: _rule(IN_HANDS, UNIT),
    Action.DECIDE_EXTENSION: _rule(IN_HANDS, OPERATOR, LEADER),
    Action.URGE: _rule(PRESSABLE | {S.RETURNED}, OPERATOR, Actor.SYSTEM),
    Action.SUPERVISE: _rule(PRESSABLE, LEADER),
    Action.ESCALATE: _rule({S.ACCEPTED, S.RETURNED} | UNDER_WAY, OPERATOR, LEADER),
}


def check(action: Action, state: S, actor: Actor) -> None:
    """PermissionDenied when the actor may never take the action; IllegalTransition when not in this state."""
    rule = RULES[action]
    if actor not in rule.actors:
        allowed = ", ".join(sorted(rule.actors))
        raise PermissionDenied(f"{actor} may not {action}: only {allowed}")
    if state not in rule.sources:
        raise IllegalTransition(action.value, state.value)
