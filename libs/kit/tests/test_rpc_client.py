"""A channel to another service is made where a composition root makes it, before the service's loop runs."""

from __future__ import annotations

import asyncio

import grpc
import pytest
from grpc_health.v1 import health, health_pb2, health_pb2_grpc
from sunshine_kit.errors import TooLarge
from sunshine_kit.rpc.client import ServiceChannel, call, open_channel
from sunshine_kit.testing.nats_server import free_port


def test_a_channel_made_before_the_loop_starts_serves_calls_in_that_loop() -> None:
    address = f"127.0.0.1:{free_port()}"
    channel = ServiceChannel(address, deadline_s=5)  # as build() does, with no loop running yet

    async def serve_and_ask() -> int:
        server = grpc.aio.server()
        health_pb2_grpc.add_HealthServicer_to_server(health.aio.HealthServicer(), server)
        server.add_insecure_port(address)
        await server.start()
        try:
            reply = await channel.stub(health_pb2_grpc.HealthStub).Check(health_pb2.HealthCheckRequest())
            return reply.status
        finally:
            await channel.close()
            await server.stop(None)

    assert asyncio.run(serve_and_ask()) == health_pb2.HealthCheckResponse.SERVING


async def test_a_request_over_grpcs_limit_is_too_large_and_a_large_answer_arrives() -> None:
    """A service keeps gRPC's 4 MiB limit on what it receives: over it the caller gets TooLarge, never an
    unexpected error. What the stack's own services answer may be larger (a thousand tickets)."""
    address = f"127.0.0.1:{free_port()}"
    answer = b"x" * (5 * 1024 * 1024)

    async def echo_size(request: bytes, context: grpc.aio.ServicerContext) -> bytes:
        return answer if request == b"big" else b"small"

    server = grpc.aio.server()
    handlers = {"Answer": grpc.unary_unary_rpc_method_handler(echo_size)}
    server.add_generic_rpc_handlers((grpc.method_handlers_generic_handler("test.Sizes", handlers),))
    server.add_insecure_port(address)
    await server.start()
    channel = open_channel(address, deadline_s=10)
    try:
        rpc = channel.unary_unary("/test.Sizes/Answer")
        assert await call(rpc, b"big") == answer
        with pytest.raises(TooLarge, match="over a size limit"):
            await call(rpc, b"y" * (5 * 1024 * 1024))
    finally:
        await channel.close()
        await server.stop(None)
