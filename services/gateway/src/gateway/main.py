"""Composition root of the gateway: settings, telemetry, the app, and uvicorn (which stops on SIGTERM)."""

from __future__ import annotations

import uvicorn
from fastapi import FastAPI
from sunshine_kit.auth.settings import AuthSettings
from sunshine_kit.errors import refused_start_exits
from sunshine_kit.metrics import MetricsEndpoint
from sunshine_kit.settings import StackSettings
from sunshine_kit.telemetry import setup_logging, setup_tracing

from gateway.config import GatewaySettings, Open311Settings
from gateway.entrypoints.app import create_app


def server_config(app: FastAPI, address: str, gateway: GatewaySettings) -> uvicorn.Config:
    """No `server` banner; X-Forwarded-For/-Proto believed only from the configured proxies."""
    host, _, port = address.rpartition(":")
    return uvicorn.Config(
        app,
        host=host,
        port=int(port),
        log_config=None,
        access_log=False,
        server_header=False,
        proxy_headers=True,
        forwarded_allow_ips=gateway.forwarded_allow_ips,
    )


def main() -> None:
    settings = StackSettings()
    setup_logging("gateway", settings.division)
    setup_tracing("gateway", settings.identity, settings.otel_exporter)
    gateway = GatewaySettings()
    with refused_start_exits("gateway"):
        app = create_app(settings, AuthSettings().verifier(), gateway, Open311Settings())
    if settings.gateway_metrics_addr:
        MetricsEndpoint.serve(settings.gateway_metrics_addr)  # a daemon thread, ends with the process
    uvicorn.Server(server_config(app, settings.gateway_http_addr, gateway)).run()


if __name__ == "__main__":
    main()
