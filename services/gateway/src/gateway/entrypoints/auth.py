"""Bearer-token authentication at the gateway; the token itself is forwarded to the services."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sunshine_kit.auth import Principal, Role, bearer_metadata, require_role
from sunshine_kit.errors import Unauthenticated

_bearer = HTTPBearer(auto_error=False, description="JWT from the identity provider (dev: sunshine-dev-token)")


@dataclass(frozen=True)
class Caller:
    principal: Principal
    token: str

    @property
    def metadata(self) -> tuple[tuple[str, str], ...]:
        return bearer_metadata(self.token)


def staff_caller(
    request: Request, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]
) -> Caller:
    if credentials is None:
        raise Unauthenticated("sign in: this endpoint is for staff")
    principal = request.app.state.verifier.verify(credentials.credentials)
    return Caller(principal, credentials.credentials)


StaffCaller = Annotated[Caller, Depends(staff_caller)]


def staff_with(*roles: Role) -> Callable[[Caller], Caller]:
    """A staff caller holding one of `roles`, checked before the request's own fields are: a caller without the
    right gets 403 whatever they send. The service checks role and jurisdiction again; `roles` must be those it
    grants (tests/public_api/test_contract_ranges.py holds them against the services)."""

    def with_role(caller: StaffCaller) -> Caller:
        require_role(caller.principal, *roles)
        return caller

    return with_role
