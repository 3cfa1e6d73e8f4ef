"""The nats-server configuration of one stack, rendered from the stack's identity and addresses.

Each stack runs one server with its own JetStream domain. A stack with children accepts their leaf
connections; a stack with a parent connects to the parent's server as a leaf node. Used by the local
runner and by deploy/, so every address and path comes from the caller.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

# Application subjects are `sunshine.<division>.…`. Events cross a level link only by JetStream sourcing
# (requests on `$JS.<domain>.API.>`, deliveries on the source consumer's deliver subject), never as core
# messages, so the link refuses application subjects both ways: no stream or subscriber in one stack can
# capture another stack's messages through it (nats-notes, "subjects leak across leaf links"). Hence a
# durable source consumer's deliver subject must lie outside `sunshine.>`, or its deliveries are dropped.
APPLICATION_SUBJECTS = "sunshine.>"


def jetstream_domain(division: str) -> str:
    """The stack's JetStream domain: unique across the leaf network because division codes are."""
    return f"d{division}"


@dataclass(frozen=True)
class NatsServerConfig:
    server_name: str
    division: str
    listen: str
    """host:port for clients."""
    http: str
    """host:port of the monitoring endpoint (/healthz, /leafz, /jsz)."""
    store_dir: str
    leaf_listen: str | None = None
    """host:port accepting the children's leaf connections; None for a stack without children."""
    parent_urls: tuple[str, ...] = ()
    """nats-leaf:// URLs of the parent's leaf listener; empty for the top of the hierarchy."""
    reconnect: str = "1s"

    @property
    def domain(self) -> str:
        return jetstream_domain(self.division)

    def render(self) -> str:
        return _render_block(self._document()) + "\n"

    def _document(self) -> dict[str, object]:
        document: dict[str, object] = {
            "server_name": self.server_name,
            "listen": self.listen,
            "http": self.http,
            "jetstream": {"domain": self.domain, "store_dir": self.store_dir},
        }
        leafnodes = self._leafnodes()
        if leafnodes:
            document["leafnodes"] = leafnodes
        return document

    def _leafnodes(self) -> dict[str, object]:
        leafnodes: dict[str, object] = {}
        if self.leaf_listen:
            leafnodes["listen"] = self.leaf_listen
        if self.parent_urls:
            # A bare number only warns: the server wants a duration string.
            leafnodes["reconnect"] = self.reconnect
            leafnodes["remotes"] = [
                {
                    "urls": list(self.parent_urls),
                    "deny_imports": [APPLICATION_SUBJECTS],
                    "deny_exports": [APPLICATION_SUBJECTS],
                }
            ]
        return leafnodes


def _render_block(block: Mapping[str, object], depth: int = 0) -> str:
    indent = "  " * depth
    return "\n".join(f"{indent}{key}: {_render_value(value, depth)}" for key, value in block.items())


def _render_value(value: object, depth: int) -> str:
    if isinstance(value, Mapping):
        return "{\n" + _render_block(value, depth + 1) + "\n" + "  " * depth + "}"
    if isinstance(value, Sequence) and not isinstance(value, str):
        return "[" + ", ".join(_render_value(item, depth) for item in value) + "]"
    return json.dumps(str(value), ensure_ascii=False)


def main() -> None:
    """`sunshine-nats-config`: print the nats-server configuration of the stack in SUNSHINE_* (a deployment's
    container entrypoint writes it before starting nats-server); addresses come from the arguments."""
    import argparse

    from sunshine_kit.settings import StackSettings

    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("--listen", default="0.0.0.0:4222", help="host:port for clients")
    parser.add_argument("--http", default="0.0.0.0:8222", help="host:port of the monitoring endpoint")
    parser.add_argument("--store-dir", required=True, help="JetStream store directory")
    parser.add_argument("--leaf-listen", help="host:port for the children's leaf connections (when it has children)")
    parser.add_argument("--parent-url", action="append", default=[], help="nats-leaf://host:port of the parent")
    args = parser.parse_args()
    settings = StackSettings()
    config = NatsServerConfig(
        server_name=f"sunshine-{settings.division}",
        division=settings.division,
        listen=args.listen,
        http=args.http,
        store_dir=args.store_dir,
        leaf_listen=args.leaf_listen if settings.children else None,
        parent_urls=tuple(args.parent_url) if settings.parent_division else (),
    )
    print(config.render(), end="")
