"""Request rate, latency and errors per gRPC method of a service (the outermost server interceptor)."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from typing import Any

import grpc
from prometheus_client import Counter, Histogram

METHOD_LABELS = ("division", "service", "grpc_service", "grpc_method")

HANDLED = Counter(
    "sunshine_grpc_server_handled",
    "gRPC calls completed, by status code (errors: grpc_code other than OK)",
    (*METHOD_LABELS, "grpc_code"),
)
HANDLING_SECONDS = Histogram(
    "sunshine_grpc_server_handling_seconds", "Time from receiving a gRPC call to its completion", METHOD_LABELS
)


class RpcMetricsInterceptor(grpc.aio.ServerInterceptor):
    def __init__(self, division: str, service: str) -> None:
        self._process = (division, service)

    async def intercept_service(self, continuation, handler_call_details):  # type: ignore[no-untyped-def]
        handler = await continuation(handler_call_details)
        if handler is None or handler.unary_unary is None:
            return handler
        grpc_service, _, grpc_method = handler_call_details.method.lstrip("/").rpartition("/")
        labels = (*self._process, grpc_service, grpc_method)
        return grpc.unary_unary_rpc_method_handler(
            _observed(handler.unary_unary, labels),
            request_deserializer=handler.request_deserializer,
            response_serializer=handler.response_serializer,
        )


def _observed(
    behavior: Callable[[Any, grpc.aio.ServicerContext], Awaitable[Any]], labels: tuple[str, ...]
) -> Callable[[Any, grpc.aio.ServicerContext], Awaitable[Any]]:
    async def observed(request: Any, context: grpc.aio.ServicerContext) -> Any:
        started = time.perf_counter()
        code: grpc.StatusCode | None = None
        try:
            return await behavior(request, context)
        except grpc.aio.AbortError:
            raise  # the status is the one given to abort(), read below
        except Exception:
            code = grpc.StatusCode.UNKNOWN  # what grpc answers for an exception the servicer let escape
            raise
        finally:
            code = code or context.code() or grpc.StatusCode.OK
            HANDLING_SECONDS.labels(*labels).observe(time.perf_counter() - started)
            HANDLED.labels(*labels, code.name).inc()

    return observed
