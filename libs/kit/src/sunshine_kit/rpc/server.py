"""An asyncio gRPC server with the standard health service, reflection, tracing and the error mapping."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import grpc
from grpc_health.v1 import health_pb2, health_pb2_grpc
from grpc_health.v1._async import HealthServicer
from grpc_reflection.v1alpha import reflection
from opentelemetry.instrumentation.grpc import aio_server_interceptor

from sunshine_kit.audit.call import CLIENT_ADDRESS_KEY, Call, in_call
from sunshine_kit.auth import CallerVerifier, ServicePrincipal, token_from_metadata
from sunshine_kit.errors import PermissionDenied, SunshineError
from sunshine_kit.rpc import principal as principal_context
from sunshine_kit.rpc.client import on_behalf_of
from sunshine_kit.rpc.status import to_status

log = logging.getLogger(__name__)
SERVING = health_pb2.HealthCheckResponse.SERVING
NOT_SERVING = health_pb2.HealthCheckResponse.NOT_SERVING


@dataclass(frozen=True)
class Servicer:
    """A servicer, the generated function that registers it, and its full service name."""

    implementation: object
    add_to_server: Callable[[Any, grpc.aio.Server], None]
    service_name: str


# Records a call refused for its role or jurisdiction (the audit trail's denied entries).
OnRefused = Callable[[Call, Any], Awaitable[None]]


class _GuardInterceptor(grpc.aio.ServerInterceptor):
    """Verifies the bearer token (staff or the stack's own service), turns Sunshine errors into statuses, and
    has a call refused to a signed-in caller recorded."""

    def __init__(self, verifier: CallerVerifier, on_refused: OnRefused | None) -> None:
        self._verifier = verifier
        self._on_refused = on_refused

    async def intercept_service(self, continuation, handler_call_details):  # type: ignore[no-untyped-def]
        handler = await continuation(handler_call_details)
        if handler is None or handler.unary_unary is None:
            return handler
        return grpc.unary_unary_rpc_method_handler(
            self._guard(handler.unary_unary, handler_call_details.method),
            request_deserializer=handler.request_deserializer,
            response_serializer=handler.response_serializer,
        )

    def _guard(self, behavior: Callable[[Any, grpc.aio.ServicerContext], Awaitable[Any]], method: str):  # type: ignore[no-untyped-def]
        async def guarded(request: Any, context: grpc.aio.ServicerContext) -> Any:
            call = None
            try:
                metadata = context.invocation_metadata() or ()
                token = token_from_metadata(metadata)
                # In a thread: a key fetch from the identity provider's JWKS must not stall the event loop.
                caller = await asyncio.to_thread(self._verifier.verify, token) if token else None
                call = Call.of(caller, method, _client_address(metadata, context))
                service = caller if isinstance(caller, ServicePrincipal) else None
                reset = principal_context._current.set(None if service else caller)
                reset_service = principal_context._current_service.set(service)
                try:
                    # Calls this one makes to other services carry the same end client's address.
                    with in_call(call), on_behalf_of(call.client_address):
                        return await behavior(request, context)
                finally:
                    principal_context._current_service.reset(reset_service)
                    principal_context._current.reset(reset)
            except SunshineError as error:
                if isinstance(error, PermissionDenied) and call is not None and self._on_refused is not None:
                    await self._on_refused(call, request)
                status = to_status(error)
                await context.abort(status.code, status.details, status.trailing_metadata)

        return guarded


def _client_address(metadata: Any, context: grpc.aio.ServicerContext) -> str:
    """The end client's address the gateway forwarded, else the calling peer (another service)."""
    forwarded = next((v for k, v in metadata if k == CLIENT_ADDRESS_KEY and isinstance(v, str)), "")
    return forwarded or context.peer() or ""


class GrpcServer:
    """Starts NOT_SERVING; the runtime flips health to SERVING once the database and NATS are ready."""

    def __init__(
        self,
        address: str,
        servicers: Iterable[Servicer],
        verifier: CallerVerifier,
        interceptors: Sequence[grpc.aio.ServerInterceptor] = (),
        on_refused: OnRefused | None = None,
    ) -> None:
        """`interceptors` wrap the tracing and guard interceptors, first outermost; `on_refused` records calls
        refused for role or jurisdiction (the runtime's audit trail; none for a server without a database)."""
        self.address = address
        self._servicers = list(servicers)
        self._health = HealthServicer()
        self._server = grpc.aio.server(
            interceptors=[*interceptors, aio_server_interceptor(), _GuardInterceptor(verifier, on_refused)]
        )
        for servicer in self._servicers:
            servicer.add_to_server(servicer.implementation, self._server)
        health_pb2_grpc.add_HealthServicer_to_server(self._health, self._server)
        names = [s.service_name for s in self._servicers]
        names += [health_pb2.DESCRIPTOR.services_by_name["Health"].full_name, reflection.SERVICE_NAME]
        reflection.enable_server_reflection(names, self._server)
        self.port = self._server.add_insecure_port(address)

    async def start(self) -> None:
        await self.set_serving(False)
        await self._server.start()
        log.info("gRPC server listening on %s", self.address)

    async def set_serving(self, serving: bool) -> None:
        status = SERVING if serving else NOT_SERVING
        for name in ["", *(s.service_name for s in self._servicers)]:
            await self._health.set(name, status)

    async def stop(self, grace_s: float = 5.0) -> None:
        await self._health.enter_graceful_shutdown()
        await self._server.stop(grace_s)
