"""A hierarchy of real nats-servers for tests and benchmarks, configured by `nats_server_config` exactly as
a deployment is, on free ports; each level link can run through a proxy that a test cuts and restores."""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import dataclass, field
from pathlib import Path

from nats.aio.client import Client
from nats.js import JetStreamContext

from sunshine_kit.identity import ChildStack, Level, StackIdentity
from sunshine_kit.jetstream import connect
from sunshine_kit.levels import LevelTopology, provision
from sunshine_kit.nats_server_config import NatsServerConfig
from sunshine_kit.testing.nats_server import NatsServer, free_port

HOST = "127.0.0.1"
CITY, COUNTY, TOWNSHIP_A, TOWNSHIP_B = "510100", "510117", "510117101", "510117102"


def four_stacks() -> list[StackIdentity]:
    """A city, its county and the county's two townships (sample codes and names)."""
    return [
        StackIdentity(Level.CITY, CITY, "示例市", children=(ChildStack(COUNTY, "示例区"),)),
        StackIdentity(
            Level.COUNTY,
            COUNTY,
            "示例区",
            parent_division=CITY,
            children=(ChildStack(TOWNSHIP_A, "示例街道"), ChildStack(TOWNSHIP_B, "示例镇")),
        ),
        StackIdentity(Level.TOWNSHIP, TOWNSHIP_A, "示例街道", parent_division=COUNTY),
        StackIdentity(Level.TOWNSHIP, TOWNSHIP_B, "示例镇", parent_division=COUNTY),
    ]


class _GeneratedConfigServer(NatsServer):
    """A NatsServer whose config is the one `NatsServerConfig` renders for the stack."""

    def __init__(self, workdir: Path, identity: StackIdentity, leaf_port: int, parent_leaf: int | None) -> None:
        super().__init__(workdir, name=f"sunshine-{identity.division}")
        self._generated = NatsServerConfig(
            server_name=self.name,
            division=identity.division,
            listen=f"{HOST}:{self.port}",
            http=f"{HOST}:{self.http_port}",
            store_dir=str(self.store_dir),
            leaf_listen=f"{HOST}:{leaf_port}" if identity.children else None,
            parent_urls=(f"nats-leaf://{HOST}:{parent_leaf}",) if parent_leaf else (),
        )

    def config(self) -> str:
        return self._generated.render()


class LinkProxy:
    """A TCP relay on the level link (child → parent leaf port): `cut()` drops the link with both servers up."""

    def __init__(self, target_port: int) -> None:
        self.port = free_port()
        self._target_port = target_port
        self._server: asyncio.Server | None = None
        self._writers: set[asyncio.StreamWriter] = set()

    async def restore(self) -> None:
        self._server = await asyncio.start_server(self._relay, HOST, self.port)

    async def cut(self) -> None:
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()
            self._server = None
        for writer in list(self._writers):
            writer.close()
        self._writers.clear()

    async def _relay(self, child_reader: asyncio.StreamReader, child_writer: asyncio.StreamWriter) -> None:
        try:
            parent_reader, parent_writer = await asyncio.open_connection(HOST, self._target_port)
        except OSError:
            child_writer.close()
            return
        self._writers |= {child_writer, parent_writer}
        await asyncio.gather(_pipe(child_reader, parent_writer), _pipe(parent_reader, child_writer))


async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    with contextlib.suppress(ConnectionError, OSError):
        while data := await reader.read(65536):
            writer.write(data)
            await writer.drain()
    writer.close()


@dataclass
class LevelNode:
    identity: StackIdentity
    server: NatsServer
    leaf_port: int
    link: LinkProxy | None = None
    client: Client | None = field(default=None, repr=False)

    @property
    def division(self) -> str:
        return self.identity.division

    @property
    def js(self) -> JetStreamContext:
        assert self.client is not None, "connect() first"
        return self.client.jetstream()

    async def connect(self) -> None:
        self.client = await connect(self.server.url, f"test-{self.division}")

    async def provision(self, identity: StackIdentity | None = None) -> None:
        """What a stack's services do at start-up; pass a changed identity to reconfigure the stack."""
        self.identity = identity or self.identity
        await provision(self.js, LevelTopology(self.identity))


class LevelNetwork:
    """Parents are listed before their children."""

    def __init__(self, workdir: Path, identities: list[StackIdentity], *, proxied_links: bool = False) -> None:
        self.nodes: dict[str, LevelNode] = {}
        for identity in identities:
            self._add(workdir, identity, proxied_links)

    def _add(self, workdir: Path, identity: StackIdentity, proxied: bool) -> LevelNode:
        parent = self.nodes.get(identity.parent_division or "")
        link = LinkProxy(parent.leaf_port) if parent and proxied else None
        parent_leaf = link.port if link else (parent.leaf_port if parent else None)
        leaf_port = free_port()
        server = _GeneratedConfigServer(workdir / identity.division, identity, leaf_port, parent_leaf)
        node = LevelNode(identity, server, leaf_port, link)
        self.nodes[identity.division] = node
        return node

    def add(self, workdir: Path, identity: StackIdentity) -> LevelNode:
        """A stack joining later (its parent's configuration is the caller's to change)."""
        return self._add(workdir, identity, proxied=False)

    def __getitem__(self, division: str) -> LevelNode:
        return self.nodes[division]

    async def start(self) -> None:
        for node in self.nodes.values():
            await self.start_node(node)

    async def start_node(self, node: LevelNode) -> None:
        if node.link is not None:
            await node.link.restore()
        await asyncio.to_thread(node.server.start)
        await node.connect()
        await node.provision()

    async def stop(self) -> None:
        for node in reversed(self.nodes.values()):
            if node.client is not None:
                await node.client.close()
            if node.link is not None:
                await node.link.cut()
            await asyncio.to_thread(node.server.stop)
