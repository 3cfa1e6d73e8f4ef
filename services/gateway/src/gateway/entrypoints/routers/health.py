from __future__ import annotations

import asyncio

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel

router = APIRouter(tags=["health"])


class DependencyReadiness(BaseModel):
    ready: bool
    detail: str


class Readiness(BaseModel):
    ready: bool
    dependencies: dict[str, DependencyReadiness]


@router.get("/healthz", summary="The gateway process is alive")
async def healthz() -> dict[str, str]:
    return {"status": "alive"}


@router.get(
    "/readyz",
    summary="Every dependency of this stack answers (503 otherwise, naming each)",
    response_model=Readiness,
    responses={503: {"model": Readiness, "description": "Some dependency is down or does not answer"}},
)
async def readyz(request: Request) -> JSONResponse:
    state = request.app.state
    services, nats = await asyncio.gather(state.services.health(), state.event_bus.health())
    checks = {**services, "nats": nats}
    ready = all(check.ready for check in checks.values())
    dependencies = {name: DependencyReadiness(ready=c.ready, detail=c.detail) for name, c in checks.items()}
    body = Readiness(ready=ready, dependencies=dependencies)
    return JSONResponse(body.model_dump(), status_code=200 if ready else 503)
