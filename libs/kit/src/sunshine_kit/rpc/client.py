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
from sunshine_kit.errors import DependencyUnavailable, SunshineError, TooLarge
from sunshine_kit.rpc.status import from_status

T = TypeVar("T")
S = TypeVar("S")
# Answers of the stack's own services may be larger than gRPC's default 4 MiB (a thousand tickets with their
# history); requests stay under the default, which the services keep, and the gateway's body limit below it.
MAX_ANSWER_BYTES = 64 * 1024 * 1024
TOO_LARGE = (
    "请求或其应答超过大小限制，请缩小范围（如 limit）/ the request or its answer is over a size limit: ask for less"
)
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
    options = [("grpc.max_receive_message_length", MAX_ANSWER_BYTES)]
    return grpc.aio.insecure_channel(address, options=options, interceptors=interceptors)


class ServiceChannel:
    """A channel to another service that opens on first use. A grpc.aio channel belongs to the event loop it
    is made in, and a composition root runs before the service's loop starts: a channel made there fails
    every call with "attached to a different loop"."""

    def __init__(self, address: str, deadline_s: float) -> None:
        self.address = address
        self._deadline_s = deadline_s
        self._channel: grpc.aio.Channel | None = None
        self._stubs: dict[Callable[[grpc.aio.Channel], Any], Any] = {}

    def stub(self, stub_class: Callable[[grpc.aio.Channel], S]) -> S:
        """A stub on the channel, opening it in the running loop if it is not open yet."""
        if self._channel is None:
            self._channel = open_channel(self.address, self._deadline_s)
        if stub_class not in self._stubs:
            self._stubs[stub_class] = stub_class(self._channel)
        return self._stubs[stub_class]

    async def close(self) -> None:
        if self._channel is not None:
            await self._channel.close()
            self._channel, self._stubs = None, {}


async def call(rpc: Callable[..., Awaitable[T]], request: Any, metadata: Any = ()) -> T:
    """Runs one unary call; a failed call raises the SunshineError it stands for."""
    try:
        return await rpc(request, metadata=metadata)
    except grpc.aio.AioRpcError as error:
        raise to_sunshine_error(error) from error


def to_sunshine_error(error: grpc.aio.AioRpcError) -> SunshineError:
    if error.code() == grpc.StatusCode.UNAVAILABLE:
        return DependencyUnavailable(error.details() or "service unavailable")
    if error.code() == grpc.StatusCode.RESOURCE_EXHAUSTED:
        return TooLarge(f"{TOO_LARGE} ({error.details()})")
    status = rpc_status.from_call(error)  # type: ignore[arg-type]
    return from_status(status, error.code(), error.details() or "")
