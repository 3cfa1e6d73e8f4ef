"""The caller inside a service, verified from its bearer token: a staff member (the token the gateway
forwarded), or one of the stack's own services (its service token). A service is never taken for staff."""

from __future__ import annotations

from contextvars import ContextVar

from sunshine_kit.auth import Principal, ServicePrincipal
from sunshine_kit.errors import PermissionDenied, Unauthenticated

_current: ContextVar[Principal | None] = ContextVar("sunshine_principal", default=None)
_current_service: ContextVar[ServicePrincipal | None] = ContextVar("sunshine_service_principal", default=None)


def current_principal() -> Principal | None:
    """The verified caller, or None for an anonymous (public) call."""
    return _current.get()


def require_principal() -> Principal:
    principal = _current.get()
    if principal is None:
        raise Unauthenticated("this call needs a signed-in staff member")
    return principal


def require_service_principal() -> ServicePrincipal:
    """The calling service of this stack; staff are refused (PermissionDenied), anonymous callers too
    (Unauthenticated)."""
    service = _current_service.get()
    if service is not None:
        return service
    if _current.get() is not None:
        raise PermissionDenied("this call is only for the stack's own services, never for staff")
    raise Unauthenticated("this call needs a service token of the stack's own services")
