"""An outbox relay process that SIGKILLs itself at a chosen point, for crash tests.

    python -m sunshine_kit.testing.crashing_relay --database-url URL [--schema S] --nats-url URL \
        [--kill before-publish|after-publish --at N]

It runs the real OutboxRelay until the outbox is empty; the only difference is its publish function, which
kills the process just before, or just after (acked, not yet marked sent), its N-th publish.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
from collections.abc import Mapping

from nats.js import JetStreamContext
from nats.js.api import PubAck
from sqlalchemy import MetaData

from sunshine_kit.envelope import Event
from sunshine_kit.jetstream import connect, publish_event
from sunshine_kit.outbox import Outbox, OutboxRelay, Publish, outbox_table
from sunshine_kit.testing.databases import IsolatedDatabase

BEFORE_PUBLISH = "before-publish"
AFTER_PUBLISH = "after-publish"


def crashing_publish(kill: str | None, at: int) -> Publish:
    published = 0

    async def publish(js: JetStreamContext, event: Event, headers: Mapping[str, str]) -> PubAck:
        nonlocal published
        published += 1
        if kill == BEFORE_PUBLISH and published == at:
            os.kill(os.getpid(), signal.SIGKILL)
        ack = await publish_event(js, event, headers)
        if kill == AFTER_PUBLISH and published == at:
            os.kill(os.getpid(), signal.SIGKILL)
        return ack

    return publish


async def relay_all(args: argparse.Namespace) -> None:
    engine = IsolatedDatabase(args.database_url, args.schema).create_engine()
    client = await connect(args.nats_url, "crashing-relay")
    outbox = Outbox(outbox_table(MetaData()))
    relay = OutboxRelay(
        engine, outbox, client.jetstream(), batch_size=args.batch_size, publish=crashing_publish(args.kill, args.at)
    )
    try:
        while await relay.pending():
            await relay.relay_batch()
    finally:
        await client.close()
        await engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--schema")
    parser.add_argument("--nats-url", required=True)
    parser.add_argument("--batch-size", type=int, default=100)
    parser.add_argument("--kill", choices=[BEFORE_PUBLISH, AFTER_PUBLISH])
    parser.add_argument("--at", type=int, default=1, help="the publish (1-based) at which to die")
    asyncio.run(relay_all(parser.parse_args()))


if __name__ == "__main__":
    main()
