"""Who the principal acts as: the domain's actor for an action or a view, and the unit it speaks for.

The kit's tokens carry roles and a division but no handling unit; until they do, a handling unit's staff
token names its unit as the subject, or the subject's part before ':' (e.g. `cgj:zhang3` for 市城管局).
"""

from __future__ import annotations

from sunshine_kit.auth import Principal
from sunshine_kit.errors import PermissionDenied

from hotline.domain.workflow import RULES, Action, Actor

# The most privileged view first: an operator sees callers, a unit its own tickets, the others masked.
VIEW_ORDER = (
    Actor.OPERATOR,
    Actor.UNIT,
    Actor.LEADER,
    Actor.EVALUATOR,
    Actor.STACK_OPERATOR,
    Actor.DISCLOSURE_OFFICER,
)
READERS = frozenset({Actor.OPERATOR, Actor.UNIT, Actor.LEADER, Actor.EVALUATOR, Actor.STACK_OPERATOR})


def actors_of(principal: Principal) -> list[Actor]:
    return [actor for actor in VIEW_ORDER if actor.value in principal.roles]


def actor_for(principal: Principal, action: Action) -> Actor:
    """The principal's role that may take the action, else its first role (which the workflow will refuse)."""
    actors = actors_of(principal)
    allowed = [a for a in actors if a in RULES[action].actors]
    return (allowed or actors)[0]


def viewer(principal: Principal) -> Actor:
    readers = [a for a in actors_of(principal) if a in READERS]
    if not readers:
        raise PermissionDenied(f"{principal.subject} has no role that reads hotline tickets")
    return readers[0]


def unit_of(principal: Principal) -> str:
    return principal.subject.split(":", 1)[0]
