"""gRPC channels with a deadline on every call, tracing, the end client's address forwarded for the services'
audit trail, and errors turned back into Sunshine errors."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, TypeVar

import grpc
from grpc_status import rpc_status
from opentelemetry.instrumentation.grpc import aio_client_interceptors

from sunshine_kit.audit.call import CLIENT_ADDRESS_KEY
from sunshine_kit.errors import DependencyUnavailable, SunshineError
from sunshine_kit.rpc.status import from_status

T = TypeVar("T")
_client_address: ContextVar[str] = ContextVar("sunshine_client_address", default="")


@contextmanager
def on_behalf_of(client_address: str) -> Iterator[None]:
    """Calls made inside go out with `client_address` (the gateway's caller) in their metadata."""
    reset = _client_address.set(client_address)
    try:
        yield
    finally:
        _client_address.reset(reset)


class _DefaultDeadline(grpc.aio.UnaryUnaryClientInterceptor):
    def __init__(self, deadline_s: float) -> None:
        self._deadline_s = deadline_s

    async def intercept_unary_unary(self, continuation, client_call_details, request):  # type: ignore[no-untyped-def]
        if client_call_details.timeout is None:
            client_call_details = grpc.aio.ClientCallDetails(
                client_call_details.method,
                self._deadline_s,
                client_call_details.metadata,
                client_call_details.credentials,
                client_call_details.wait_for_ready,
            )
        return await continuation(client_call_details, request)


class _ClientAddress(grpc.aio.UnaryUnaryClientInterceptor):
    async def intercept_unary_unary(self, continuation, client_call_details, request):  # type: ignore[no-untyped-def]
        address = _client_address.get()
        if address:
            metadata = grpc.aio.Metadata(*(client_call_details.metadata or ()), (CLIENT_ADDRESS_KEY, address))
            client_call_details = grpc.aio.ClientCallDetails(
                client_call_details.method,
                client_call_details.timeout,
                metadata,
                client_call_details.credentials,
                client_call_details.wait_for_ready,
            )
        return await continuation(client_call_details, request)


def open_channel(address: str, deadline_s: float) -> grpc.aio.Channel:
    interceptors = [_DefaultDeadline(deadline_s), _ClientAddress(), *aio_client_interceptors()]
    return grpc.aio.insecure_channel(address, interceptors=interceptors)


async def call(rpc: Callable[..., Awaitable[T]], request: Any, metadata: Any = ()) -> T:
    """Runs one unary call; a failed call raises the SunshineError it stands for."""
    try:
        return await rpc(request, metadata=metadata)
    except grpc.aio.AioRpcError as error:
        raise to_sunshine_error(error) from error


def to_sunshine_error(error: grpc.aio.AioRpcError) -> SunshineError:
    if error.code() == grpc.StatusCode.UNAVAILABLE:
        return DependencyUnavailable(error.details() or "service unavailable")
    status = rpc_status.from_call(error)  # type: ignore[arg-type]
    return from_status(status, error.code(), error.details() or "")
