"""Disclosure (政务公开). Public without login: reading the catalogue, submitting a request and following it
with its number and secret code, reading major decisions and commenting on their drafts. Everything else is for
staff, checked again by the service. One module per resource; FastAPI matches routes in this order."""

from __future__ import annotations

from fastapi import APIRouter

from gateway.entrypoints.routers.disclosure import annual_reports, catalogue, decisions, requests, search

router = APIRouter(prefix="/api/v1/disclosure", tags=["disclosure"])
for module in (search, catalogue, requests, decisions, annual_reports):
    router.include_router(module.router)
