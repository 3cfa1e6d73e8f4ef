"""gRPC channels to this stack's services, and their health."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

import grpc
from grpc_health.v1 import health_pb2, health_pb2_grpc
from sunshine.audit.v1 import audit_pb2_grpc
from sunshine.disclosure.v1 import disclosure_pb2_grpc
from sunshine.evaluation.v1 import evaluation_pb2_grpc
from sunshine.hotline.v1 import hotline_pb2_grpc
from sunshine_kit.rpc.client import open_channel
from sunshine_kit.settings import StackSettings

HEALTH_DEADLINE_S = 1.0


@dataclass(frozen=True)
class Health:
    ready: bool
    detail: str


class StackServices:
    """One channel per service; stubs for the routers; a health probe for /readyz."""

    NAMES = ("disclosure", "hotline", "evaluation")

    def __init__(self, settings: StackSettings) -> None:
        self.addresses = {name: settings.grpc_addr(name) for name in self.NAMES}
        self._channels = {name: open_channel(addr, settings.grpc_deadline_s) for name, addr in self.addresses.items()}
        self.disclosure = disclosure_pb2_grpc.DisclosureServiceStub(self._channels["disclosure"])
        self.hotline = hotline_pb2_grpc.HotlineServiceStub(self._channels["hotline"])
        self.evaluation = evaluation_pb2_grpc.EvaluationServiceStub(self._channels["evaluation"])
        self.audit = {name: audit_pb2_grpc.AuditServiceStub(channel) for name, channel in self._channels.items()}

    async def health(self) -> dict[str, Health]:
        results = await asyncio.gather(*(self._probe(name) for name in self.NAMES))
        return dict(zip(self.NAMES, results, strict=True))

    async def _probe(self, name: str) -> Health:
        stub = health_pb2_grpc.HealthStub(self._channels[name])
        try:
            reply = await stub.Check(health_pb2.HealthCheckRequest(), timeout=HEALTH_DEADLINE_S)
        except grpc.aio.AioRpcError as error:
            return Health(False, f"{self.addresses[name]}: {error.code().name}")
        status = health_pb2.HealthCheckResponse.ServingStatus.Name(reply.status)
        return Health(reply.status == health_pb2.HealthCheckResponse.SERVING, f"{self.addresses[name]}: {status}")

    async def close(self) -> None:
        await asyncio.gather(*(channel.close() for channel in self._channels.values()))
