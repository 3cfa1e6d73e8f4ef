"""Bearer-token authentication at the gateway; the token itself is forwarded to the services."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sunshine_kit.auth import Principal, bearer_metadata
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
