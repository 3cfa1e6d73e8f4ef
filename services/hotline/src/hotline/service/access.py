"""Who the principal acts as: the domain's actor for an action or a view, and the unit it speaks for.

A view is chosen only among the roles that may read this stack's division (`require_read`): a county account
holding hotline_operator and leader reads a township's tickets as a leader, never as an operator, and a
handling unit is a unit of its own stack only.

The kit's tokens carry roles and a division but no handling unit; until they do, a handling unit's staff
token names its unit as the subject, or the subject's part before ':' (e.g. `cgj:zhang3` for 市城管局).
"""

from __future__ import annotations

from sunshine_kit.auth import Principal, Role, require_read
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
READER_ROLES = (Role.HOTLINE_OPERATOR, Role.HANDLING_UNIT, Role.LEADER, Role.EVALUATOR, Role.STACK_OPERATOR)


def actors_of(principal: Principal) -> list[Actor]:
    return [actor for actor in VIEW_ORDER if actor.value in principal.roles]


def actor_for(principal: Principal, action: Action) -> Actor:
    """The principal's role that may take the action, else its first role (which the workflow will refuse)."""
    actors = actors_of(principal)
    if not actors:
        raise PermissionDenied(f"{principal.subject} has no role that acts on hotline tickets")
    allowed = [a for a in actors if a in RULES[action].actors]
    return (allowed or actors)[0]


def viewer(principal: Principal, division: str) -> Actor:
    """The most privileged view among the principal's roles that read tickets of `division`."""
    granted = require_read(principal, division, *READER_ROLES)
    return next(actor for actor in VIEW_ORDER if actor.value in granted)


def unit_of(principal: Principal) -> str:
    unit = principal.subject.split(":", 1)[0].strip()
    if not unit:
        raise PermissionDenied(f"{principal.subject!r} names no handling unit (the subject is unit or unit:person)")
    return unit
