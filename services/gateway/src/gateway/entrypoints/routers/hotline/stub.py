"""The hotline service's gRPC stub, for every hotline router."""

from __future__ import annotations

from fastapi import Request


def stub(request: Request):  # type: ignore[no-untyped-def]
    return request.app.state.services.hotline
