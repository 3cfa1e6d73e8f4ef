"""Ports of the local stacks: fixed blocks for `make run`, free ports from the OS for tests."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from dataclasses import astuple, dataclass, fields
from typing import Protocol

HOST = "127.0.0.1"
# A system nats-server listens there on this kind of machine.
SYSTEM_NATS_PORT = 4222
BLOCK_SIZE = 10
# The metrics endpoints use a second set of blocks this far above the first: a process's metrics port is its
# own port + 500 (room for 50 stacks before the two sets meet).
METRICS_SHIFT = 500


class PortInUse(RuntimeError):
    pass


@dataclass(frozen=True)
class StackPorts:
    """The ports of one stack; the field order is the offset within a block."""

    gateway: int
    disclosure: int
    hotline: int
    evaluation: int
    nats: int
    nats_monitor: int
    nats_leaf: int

    def named(self) -> Iterator[tuple[str, int]]:
        for field, port in zip(fields(self), astuple(self), strict=True):
            yield field.name, port


@dataclass(frozen=True)
class MetricsPorts:
    """The Prometheus endpoint of each process of a stack; the field order is the offset within a block."""

    gateway: int
    disclosure: int
    hotline: int
    evaluation: int

    def named(self) -> Iterator[tuple[str, int]]:
        for field, port in zip(fields(self), astuple(self), strict=True):
            yield field.name, port

    def of(self, process: str) -> int:
        return getattr(self, process)


class PortAllocator(Protocol):
    def ports_for(self, index: int) -> StackPorts: ...

    def metrics_ports_for(self, index: int) -> MetricsPorts: ...


@dataclass(frozen=True)
class PortBlocks:
    """Stack i gets ports base + 10*i + offset, offsets in StackPorts' field order; its metrics ports
    base + 500 + 10*i + offset, offsets in MetricsPorts' field order."""

    base: int

    def ports_for(self, index: int) -> StackPorts:
        return StackPorts(*_block(self.base + BLOCK_SIZE * index, len(fields(StackPorts))))

    def metrics_ports_for(self, index: int) -> MetricsPorts:
        return MetricsPorts(*_block(self.base + METRICS_SHIFT + BLOCK_SIZE * index, len(fields(MetricsPorts))))


def _block(start: int, count: int) -> range:
    if start <= SYSTEM_NATS_PORT < start + count:
        raise ValueError(f"port block {start}-{start + BLOCK_SIZE - 1} would use port {SYSTEM_NATS_PORT}")
    return range(start, start + count)


class FreePorts:
    """Ports the OS reports unused right now, never the same one twice (for tests)."""

    def __init__(self) -> None:
        self._given: set[int] = set()

    def ports_for(self, index: int) -> StackPorts:
        return StackPorts(*(self._free_port() for _ in fields(StackPorts)))

    def metrics_ports_for(self, index: int) -> MetricsPorts:
        return MetricsPorts(*(self._free_port() for _ in fields(MetricsPorts)))

    def _free_port(self) -> int:
        while True:
            with socket.socket() as probe:
                probe.bind((HOST, 0))
                port = probe.getsockname()[1]
            if port not in self._given and port != SYSTEM_NATS_PORT:
                self._given.add(port)
                return port


def ensure_free(port: int, purpose: str) -> None:
    with socket.socket() as probe:
        # Like the servers themselves: a port left in TIME_WAIT by a previous run is free.
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((HOST, port))
        except OSError as error:
            raise PortInUse(f"port {HOST}:{port} ({purpose}) is not free: {error.strerror}") from None
