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


class PortAllocator(Protocol):
    def ports_for(self, index: int) -> StackPorts: ...


@dataclass(frozen=True)
class PortBlocks:
    """Stack i gets ports base + 10*i + offset, offsets in StackPorts' field order."""

    base: int

    def ports_for(self, index: int) -> StackPorts:
        start = self.base + BLOCK_SIZE * index
        ports = StackPorts(*range(start, start + len(fields(StackPorts))))
        if SYSTEM_NATS_PORT in astuple(ports):
            raise ValueError(f"port block {start}-{start + BLOCK_SIZE - 1} would use port {SYSTEM_NATS_PORT}")
        return ports


class FreePorts:
    """Ports the OS reports unused right now, never the same one twice (for tests)."""

    def __init__(self) -> None:
        self._given: set[int] = set()

    def ports_for(self, index: int) -> StackPorts:
        return StackPorts(*(self._free_port() for _ in fields(StackPorts)))

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
