"""OpenTelemetry tracing and JSON logs with trace ids. The exporter is chosen by SUNSHINE_OTEL_EXPORTER.

Traces cross HTTP (FastAPI instrumentation at the gateway), gRPC (interceptors in sunshine_kit.rpc) and NATS
(`traceparent` in message headers, see sunshine_kit.jetstream).
"""

from __future__ import annotations

import json
import logging
import sys
from datetime import UTC, datetime

from opentelemetry import trace
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor, ConsoleSpanExporter, SpanExporter

from sunshine_kit.identity import StackIdentity


def setup_tracing(service: str, identity: StackIdentity, exporter: str) -> None:
    """Installs the process's tracer provider, unless one is installed already (tests install their own)."""
    if isinstance(trace.get_tracer_provider(), TracerProvider):
        return
    resource = Resource.create(
        {
            "service.name": f"sunshine-{service}",
            "service.namespace": "sunshine",
            "sunshine.division": identity.division,
            "sunshine.level": identity.level.value,
        }
    )
    provider = TracerProvider(resource=resource)
    span_exporter = _exporter(exporter)
    if span_exporter is not None:
        provider.add_span_processor(BatchSpanProcessor(span_exporter))
    trace.set_tracer_provider(provider)


def _exporter(name: str) -> SpanExporter | None:
    if name == "console":
        return ConsoleSpanExporter(out=sys.stderr)
    if name == "otlp":
        from opentelemetry.exporter.otlp.proto.grpc.trace_exporter import OTLPSpanExporter

        return OTLPSpanExporter()  # endpoint from OTEL_EXPORTER_OTLP_ENDPOINT
    return None


class JsonLogFormatter(logging.Formatter):
    """One JSON object per line, with the trace and span ids of the active span."""

    def __init__(self, service: str, division: str) -> None:
        super().__init__()
        self._static = {"service": service, "division": division}

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            **self._static,
        }
        context = trace.get_current_span().get_span_context()
        if context.is_valid:
            entry["trace_id"] = format(context.trace_id, "032x")
            entry["span_id"] = format(context.span_id, "016x")
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


def setup_logging(service: str, division: str, level: int = logging.INFO) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonLogFormatter(service, division))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
