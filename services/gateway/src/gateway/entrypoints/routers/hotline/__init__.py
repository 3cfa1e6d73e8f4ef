"""Hotline (12345) tickets: staff endpoints (role and jurisdiction checked by the hotline service), and the
citizens' own: filing a ticket, following it by number and code, evaluating the outcome. One module per
resource; FastAPI matches routes in this order."""

from __future__ import annotations

from fastapi import APIRouter

from gateway.entrypoints.routers.hotline import citizens, disclosure_handover, dispatch, hotspots, knowledge, tickets

router = APIRouter(prefix="/api/v1/hotline", tags=["hotline"])
for module in (tickets, dispatch, hotspots, knowledge, disclosure_handover, citizens):
    router.include_router(module.router)
