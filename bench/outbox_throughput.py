"""Outbox relay throughput next to raw JetStream publishing, in one run against one nats-server.

    uv run python bench/outbox_throughput.py [--events 5000] [--payload-bytes 1024] [--batch-size 100]

- raw `js.publish`, one at a time: the ceiling for anything waiting for each ack;
- raw `publish_async`, pipelined: the client's ceiling;
- the relay: committed outbox rows → published with Nats-Msg-Id → acked → marked sent, on SQLite and (if
  reachable, SUNSHINE_TEST_POSTGRES_URL) PostgreSQL.

Every phase publishes fresh events (new ids, the same envelope size) to the stack's EVENTS stream.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import tempfile
import time
from pathlib import Path

from google.protobuf.wrappers_pb2 import StringValue
from nats.js import JetStreamContext
from sqlalchemy import MetaData
from sunshine_kit.db import session_factory
from sunshine_kit.envelope import Event, new_event
from sunshine_kit.identity import Level, StackIdentity
from sunshine_kit.jetstream import MSG_ID_HEADER, connect, ensure_stream, event_stream_config
from sunshine_kit.outbox import Outbox, OutboxRelay, outbox_table
from sunshine_kit.testing import IsolatedDatabase, NatsServer
from sunshine_kit.testing.databases import DEFAULT_POSTGRES_URL, postgres_answers

COUNTY = StackIdentity(Level.COUNTY, "510117", "基准测试县")


def make_events(count: int, payload_bytes: int) -> list[Event]:
    payload = StringValue(value="x" * payload_bytes)
    return [new_event(COUNTY, "hotline", "ticket", "accepted", payload) for _ in range(count)]


async def publish_one_at_a_time(js: JetStreamContext, events: list[Event]) -> float:
    started = time.perf_counter()
    for event in events:
        await js.publish(event.subject, event.envelope.SerializeToString(), headers={MSG_ID_HEADER: event.id})
    return time.perf_counter() - started


async def publish_pipelined(js: JetStreamContext, events: list[Event]) -> float:
    started = time.perf_counter()
    acks = [
        await js.publish_async(event.subject, event.envelope.SerializeToString(), headers={MSG_ID_HEADER: event.id})
        for event in events
    ]
    await asyncio.wait_for(js.publish_async_completed(), 120)  # the futures themselves have no timeout
    elapsed = time.perf_counter() - started
    if any(ack.exception() for ack in acks):
        raise RuntimeError("a pipelined publish failed")
    return elapsed


async def relay_everything(database: IsolatedDatabase, js: JetStreamContext, events: list[Event], batch: int) -> float:
    engine = database.create_engine()
    metadata = MetaData()
    outbox = Outbox(outbox_table(metadata))
    try:
        async with engine.begin() as connection:
            await connection.run_sync(metadata.create_all)
        async with session_factory(engine)() as session, session.begin():
            for event in events:
                await outbox.add(session, event)
        relay = OutboxRelay(engine, outbox, js, batch_size=batch)
        started = time.perf_counter()
        relayed = 0
        while relayed < len(events):
            relayed += await relay.relay_batch()
        return time.perf_counter() - started
    finally:
        await engine.dispose()


async def postgres_database() -> IsolatedDatabase | None:
    url = os.environ.get("SUNSHINE_TEST_POSTGRES_URL") or DEFAULT_POSTGRES_URL
    problem = await postgres_answers(url)
    if problem:
        print(f"PostgreSQL skipped: {problem}")
        return None
    return await IsolatedDatabase.new_postgres_schema(url)


async def measure(args: argparse.Namespace, workdir: Path, js: JetStreamContext) -> dict[str, float]:
    def fresh() -> list[Event]:
        return make_events(args.events, args.payload_bytes)

    rates = {
        "js.publish, one at a time": args.events / await publish_one_at_a_time(js, fresh()),
        "js.publish_async, pipelined": args.events / await publish_pipelined(js, fresh()),
    }
    sqlite = IsolatedDatabase(f"sqlite+aiosqlite:///{workdir / 'outbox.db'}")
    rates["outbox relay, SQLite"] = args.events / await relay_everything(sqlite, js, fresh(), args.batch_size)
    postgres = await postgres_database()
    if postgres is not None:
        try:
            seconds = await relay_everything(postgres, js, fresh(), args.batch_size)
            rates["outbox relay, PostgreSQL"] = args.events / seconds
        finally:
            await postgres.drop()
    return rates


def report(rates: dict[str, float], args: argparse.Namespace, envelope_bytes: int) -> None:
    one_at_a_time = rates["js.publish, one at a time"]
    pipelined = rates["js.publish_async, pipelined"]
    print(
        f"{args.events} events of {envelope_bytes} bytes (envelope), relay batch {args.batch_size}, "
        f"{os.cpu_count()} CPUs, client and nats-server on one machine"
    )
    print(f"{'':32}{'events/s':>10}{'vs one at a time':>18}{'vs pipelined':>14}")
    for name, rate in rates.items():
        print(f"{name:32}{rate:>10,.0f}{rate / one_at_a_time:>18.2f}{rate / pipelined:>14.2f}")


async def main(args: argparse.Namespace) -> None:
    with tempfile.TemporaryDirectory(prefix="sunshine-bench-") as tmp:
        workdir = Path(tmp)
        with NatsServer(workdir / "nats") as server:
            client = await connect(server.url, "outbox-bench")
            try:
                js = client.jetstream()
                await ensure_stream(js, event_stream_config(COUNTY))
                rates = await measure(args, workdir, js)
            finally:
                await client.close()
    envelope_bytes = len(make_events(1, args.payload_bytes)[0].envelope.SerializeToString())
    report(rates, args, envelope_bytes)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--events", type=int, default=5000)
    parser.add_argument("--payload-bytes", type=int, default=1024)
    parser.add_argument("--batch-size", type=int, default=100)
    asyncio.run(main(parser.parse_args()))
