"""A channel to another service is made where a composition root makes it, before the service's loop runs."""

from __future__ import annotations

import asyncio

import grpc
from grpc_health.v1 import health, health_pb2, health_pb2_grpc
from sunshine_kit.rpc.client import ServiceChannel
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
