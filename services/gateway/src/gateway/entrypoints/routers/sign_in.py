"""What the dashboard's sign-in page needs to start the OIDC authorization code flow (docs/auth.md)."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Request
from pydantic import BaseModel
from sunshine_kit.auth.settings import AuthSettings

router = APIRouter(prefix="/api/v1", tags=["sign-in"])


class SignInView(BaseModel):
    mode: Literal["oidc", "dev"]
    issuer: str = ""
    client_id: str = ""
    scope: str = ""


@router.get("/sign-in", summary="How staff sign in: the identity provider and client (public)")
async def sign_in(request: Request) -> SignInView:
    return request.app.state.sign_in


def sign_in_view(auth: AuthSettings) -> SignInView:
    if auth.is_dev:
        return SignInView(mode="dev")
    return SignInView(mode="oidc", issuer=auth.expected_issuer, client_id=auth.client_id, scope="openid")
