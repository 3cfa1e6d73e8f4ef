"""Composition root of the gateway: settings, telemetry, the app, and uvicorn (which stops on SIGTERM)."""

from __future__ import annotations

import uvicorn
from sunshine_kit.auth.settings import AuthSettings
from sunshine_kit.errors import refused_start_exits
from sunshine_kit.metrics import MetricsEndpoint
from sunshine_kit.settings import StackSettings
from sunshine_kit.telemetry import setup_logging, setup_tracing

from gateway.entrypoints.app import create_app


def main() -> None:
    settings = StackSettings()
    setup_logging("gateway", settings.division)
    setup_tracing("gateway", settings.identity, settings.otel_exporter)
    with refused_start_exits("gateway"):
        app = create_app(settings, AuthSettings().verifier())
    if settings.gateway_metrics_addr:
        MetricsEndpoint.serve(settings.gateway_metrics_addr)  # a daemon thread, ends with the process
    host, _, port = settings.gateway_http_addr.rpartition(":")
    uvicorn.run(app, host=host, port=int(port), log_config=None, access_log=False)


if __name__ == "__main__":
    main()
