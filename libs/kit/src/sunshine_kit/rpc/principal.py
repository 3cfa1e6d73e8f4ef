"""The caller's principal inside a service: verified from the bearer token the gateway forwarded."""

from __future__ import annotations

from contextvars import ContextVar

from sunshine_kit.auth import Principal
from sunshine_kit.errors import Unauthenticated

_current: ContextVar[Principal | None] = ContextVar("sunshine_principal", default=None)


def current_principal() -> Principal | None:
    """The verified caller, or None for an anonymous (public) call."""
    return _current.get()


def require_principal() -> Principal:
    principal = _current.get()
    if principal is None:
        raise Unauthenticated("this call needs a signed-in staff member")
    return principal
