from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

router = APIRouter(tags=["health"])


@router.get("/healthz", summary="The gateway process is alive")
async def healthz() -> dict[str, str]:
    return {"status": "alive"}


@router.get("/readyz", summary="Every dependency of this stack is reachable (503 otherwise, naming each)")
async def readyz(request: Request) -> JSONResponse:
    state = request.app.state
    checks = {**(await state.services.health()), "nats": state.event_bus.health()}
    ready = all(check.ready for check in checks.values())
    body: dict[str, Any] = {
        "ready": ready,
        "dependencies": {name: {"ready": c.ready, "detail": c.detail} for name, c in checks.items()},
    }
    return JSONResponse(body, status_code=200 if ready else 503)
