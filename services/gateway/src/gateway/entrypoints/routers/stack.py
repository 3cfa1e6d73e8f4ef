from __future__ import annotations

from fastapi import APIRouter, Request
from pydantic import BaseModel

router = APIRouter(prefix="/api/v1", tags=["stack"])


class ChildView(BaseModel):
    division: str
    name: str


class StackView(BaseModel):
    division: str
    level: str
    name: str
    parent_division: str | None
    children: list[ChildView]


@router.get("/stack", summary="This stack's division, level, name, parent and children")
async def stack(request: Request) -> StackView:
    identity = request.app.state.identity
    return StackView(
        division=identity.division,
        level=identity.level.value,
        name=identity.name,
        parent_division=identity.parent_division,
        children=[ChildView(division=c.division, name=c.name) for c in identity.children],
    )
