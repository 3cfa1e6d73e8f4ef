"""The gateway's FastAPI application: the only public door of a stack."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from opentelemetry.instrumentation.fastapi import FastAPIInstrumentor
from sunshine_kit.auth import TokenVerifier
from sunshine_kit.auth.settings import AuthSettings
from sunshine_kit.settings import StackSettings
from sunshine_kit.working_days import WorkingDayCalendar

from gateway.adapters.event_bus import EventBus
from gateway.adapters.services import StackServices
from gateway.config import GatewaySettings, Open311Settings
from gateway.entrypoints.body_limit import BodySizeLimit
from gateway.entrypoints.errors import install_error_handlers
from gateway.entrypoints.guards import install_guards
from gateway.entrypoints.metrics import HttpMetrics, start_sync_sampling
from gateway.entrypoints.openapi import install_openapi
from gateway.entrypoints.routers import audit, disclosure, evaluation, health, hotline, open311, sign_in, stack, sync
from gateway.entrypoints.routers.sign_in import sign_in_view


def create_app(
    settings: StackSettings,
    verifier: TokenVerifier,
    gateway: GatewaySettings | None = None,
    open311_settings: Open311Settings | None = None,
) -> FastAPI:
    gateway = gateway or GatewaySettings()
    auth = AuthSettings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.services = StackServices(settings)
        app.state.event_bus = EventBus(settings.nats_url)
        app.state.event_bus.start()
        sync_sampling = start_sync_sampling(settings, app.state.event_bus)
        yield
        if sync_sampling is not None:
            sync_sampling.cancel()
        await app.state.event_bus.close()
        await app.state.services.close()

    app = FastAPI(
        title=f"Sunshine 阳光政务 — {settings.name}",
        description="政务公开 · 12345 热线 · 考核评估 — this stack's public API",
        version="0.1.0",
        lifespan=lifespan,
        **gateway.docs_routes(auth.is_dev),
    )
    app.state.identity = settings.identity
    # For the operator's view of its coverage (GET /api/v1/stack/calendar); the gateway counts no clock.
    app.state.calendar = WorkingDayCalendar(settings.calendar_override_file)
    app.state.verifier = verifier
    app.state.open311 = open311_settings or Open311Settings()
    app.state.sign_in = sign_in_view(auth)
    install_error_handlers(app)
    app.add_middleware(BodySizeLimit)
    for module in (health, stack, sync, hotline, open311, disclosure, evaluation, audit, sign_in):
        app.include_router(module.router)
    install_guards(app, gateway)
    app.add_middleware(HttpMetrics, division=settings.division)  # outermost: the guards' 429s are counted too
    install_openapi(app)
    FastAPIInstrumentor.instrument_app(app, excluded_urls="healthz,readyz")
    return app
