"""Jurisdiction over GB/T 2260 division codes: act in your own division, read below it if your role allows.

Every permission is decided for the role that grants it: a principal holding two roles never gets one role's
right (say, to read below) together with the other's view (say, an operator's unmasked callers). So a use case
asks `require_read(principal, division, *roles)` for the roles it serves and gets back only those of them that
may read that division, and chooses what to show from those alone.

Codes are 6 digits ``PPCCDD`` for a province (``PP0000``), a city (``PPCC00``) or a county (``PPCCDD``), and
9 digits for a township (its county's code plus 3 digits). A code's ancestors are read off its digits, so
codes that skip a level (a township directly under a city such as 441900xxx) still nest correctly.
"""

from __future__ import annotations

from sunshine_kit.auth.principal import Principal, Role
from sunshine_kit.errors import PermissionDenied
from sunshine_kit.identity import is_division_code

READS_BELOW = frozenset({Role.LEADER, Role.EVALUATOR, Role.STACK_OPERATOR, Role.AUDITOR})


def ancestors(code: str) -> frozenset[str]:
    """Every division that contains ``code`` (empty for a province or for anything that is not a code)."""
    if not is_division_code(code):
        return frozenset()
    if len(code) == 9:
        return frozenset({code[:6]}) | ancestors(code[:6])
    found = set()
    if code[4:] != "00":
        found.add(code[:4] + "00")
    if code[2:] != "0000":
        found.add(code[:2] + "0000")
    return frozenset(found)


def contains(ancestor: str, code: str) -> bool:
    """True when ``code`` is strictly below ``ancestor``; a string that is not a code contains nothing."""
    return is_division_code(ancestor) and ancestor in ancestors(code)


def reading_roles(principal: Principal, division: str) -> frozenset[Role]:
    """The principal's roles that read ``division``: all in its own division, those in READS_BELOW below it,
    none sideways or up."""
    if division == principal.division:
        return principal.roles
    if contains(principal.division, division):
        return principal.roles & READS_BELOW
    return frozenset()


def require_read(principal: Principal, division: str, *roles: Role) -> frozenset[Role]:
    """The principal's roles among ``roles`` that read ``division``; refuses when there is none."""
    require_role(principal, *roles)
    granted = reading_roles(principal, division) & set(roles)
    if granted:
        return granted
    if division != principal.division and not contains(principal.division, division):
        raise PermissionDenied(
            f"{principal.subject} of division {principal.division} may not read {division}: "
            f"it is not within {principal.division}"
        )
    below = READS_BELOW & set(roles)
    raise PermissionDenied(
        f"{principal.subject} of division {principal.division} may read {division}, below its own division, "
        + (f"only with one of the roles {_names(below)}" if below else "not for this: only its own staff may")
    )


def check_act(principal: Principal, division: str) -> None:
    """A principal acts (creates, changes, decides) only in its own division, whatever its roles."""
    if division != principal.division:
        raise PermissionDenied(
            f"{principal.subject} of division {principal.division} may act only in its own division, not in {division}"
        )


def require_role(principal: Principal, *roles: Role) -> None:
    if not principal.roles & set(roles):
        raise PermissionDenied(
            f"{principal.subject} of division {principal.division} needs one of the roles {_names(roles)}"
        )


def _names(roles: frozenset[Role] | set[Role] | tuple[Role, ...]) -> str:
    return ", ".join(sorted(roles))
