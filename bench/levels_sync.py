"""Township → county → city sync on four real nats-servers, next to raw JetStream publishing in the same run.

    uv run python bench/levels_sync.py [--rate 500] [--seconds 10] [--backlog 100000]

1. Baseline: raw publishing at the township, `js.publish` one at a time and `publish_async` pipelined.
2. Lag at a steady load: the township publishes `rate` events/s for `seconds`; a consumer on the city's
   ROLLUP notes when each arrives; lag = arrival − publish (both clocks are this machine's).
3. Backlog after a link outage: the township→county link is cut, `backlog` events are published at the
   township, the link is restored; reported: time until the first and the last event are stored at the
   county and at the city, and the catch-up rate.
4. Backlog after the county's server is SIGKILLed and restarted (a tenth of the backlog).
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import struct
import tempfile
import time
from pathlib import Path

from nats.js import JetStreamContext
from sunshine.events.v1.hotline_pb2 import TicketAccepted
from sunshine_kit.envelope import event_for
from sunshine_kit.jetstream import MSG_ID_HEADER
from sunshine_kit.levels import ROLLUP
from sunshine_kit.testing.level_network import CITY, COUNTY, TOWNSHIP_A, LevelNetwork, four_stacks
from sunshine_kit.testing.waiting import wait_until

SUBJECT = f"sunshine.{TOWNSHIP_A}.hotline.ticket.accepted"


async def publish_pipelined(js: JetStreamContext, count: int, stamp: bool = False) -> float:
    events = ticket_events_fast(count)
    started = time.perf_counter()
    for event_id, payload in events:
        data = struct.pack("!d", time.time()) + payload if stamp else payload
        await js.publish_async(SUBJECT, data, headers={MSG_ID_HEADER: event_id})
    await asyncio.wait_for(js.publish_async_completed(), 600)
    return time.perf_counter() - started


def ticket_events_fast(count: int) -> list[tuple[str, bytes]]:
    township = next(identity for identity in four_stacks() if identity.division == TOWNSHIP_A)
    events = (event_for(township, "hotline", TicketAccepted(ticket_id=f"bench-{n}")) for n in range(count))
    return [(e.id, e.envelope.SerializeToString()) for e in events]


async def publish_one_at_a_time(js: JetStreamContext, count: int) -> float:
    events = ticket_events_fast(count)
    started = time.perf_counter()
    for event_id, payload in events:
        await js.publish(SUBJECT, payload, headers={MSG_ID_HEADER: event_id})
    return time.perf_counter() - started


async def stored(js: JetStreamContext, stream: str) -> int:
    return (await js.stream_info(stream)).state.messages


async def wait_stored(js: JetStreamContext, stream: str, count: int) -> float:
    """Polls every 10 ms: the returned moment is at most that late."""

    async def enough() -> bool:
        return await stored(js, stream) >= count

    await wait_until(enough, within=600, interval=0.01)
    return time.perf_counter()


async def steady_lag(network: LevelNetwork, rate: int, seconds: int) -> list[float]:
    lags: list[float] = []

    async def arrived(msg) -> None:  # type: ignore[no-untyped-def]
        if len(msg.data) >= 8 and msg.subject == SUBJECT:
            lags.append(time.time() - struct.unpack("!d", msg.data[:8])[0])

    city = network[CITY].js
    subscription = await city.subscribe(
        "sunshine.>", stream=ROLLUP, ordered_consumer=True, cb=arrived, deliver_policy="new"
    )  # type: ignore[arg-type]
    township = network[TOWNSHIP_A].js
    events = ticket_events_fast(rate * seconds)
    interval = 1 / rate
    started = time.perf_counter()
    for n, (event_id, payload) in enumerate(events):
        await asyncio.sleep(max(0.0, started + n * interval - time.perf_counter()))
        await township.publish_async(
            SUBJECT, struct.pack("!d", time.time()) + payload, headers={MSG_ID_HEADER: event_id}
        )
    await township.publish_async_completed()

    async def all_arrived() -> bool:
        return len(lags) >= len(events)

    await wait_until(all_arrived, within=120)
    await subscription.unsubscribe()
    return lags


async def outage_backlog(network: LevelNetwork, count: int, kill_county: bool) -> dict[str, float]:
    township, county, city = network[TOWNSHIP_A], network[COUNTY], network[CITY]
    base_county, base_city = await stored(county.js, ROLLUP), await stored(city.js, ROLLUP)
    if kill_county:
        county.server.kill()
    else:
        assert township.link is not None
        await township.link.cut()
    await publish_pipelined(township.js, count)
    returned = time.perf_counter()
    if kill_county:
        await asyncio.to_thread(county.server.start)
        print(f"  county server ready {time.perf_counter() - returned:.2f}s after its restart began")
        await county.connect()
    else:
        assert township.link is not None
        await township.link.restore()
    first = await wait_stored(county.js, ROLLUP, base_county + 1)
    county_done = await wait_stored(county.js, ROLLUP, base_county + count)
    city_done = await wait_stored(city.js, ROLLUP, base_city + count)
    return {
        "first_at_county_s": first - returned,
        "drained_at_county_s": county_done - returned,
        "drained_at_city_s": city_done - returned,
        "catch_up_events_per_s": count / (city_done - returned),
    }


async def run(args: argparse.Namespace) -> None:
    with tempfile.TemporaryDirectory() as workdir:
        network = LevelNetwork(Path(workdir), four_stacks(), proxied_links=True)
        await network.start()
        try:
            await report(network, args)
        finally:
            await network.stop()


async def report(network: LevelNetwork, args: argparse.Namespace) -> None:
    township = network[TOWNSHIP_A].js
    n = 5000
    one = n / await publish_one_at_a_time(township, n)
    pipelined = n / await publish_pipelined(township, n)
    await wait_stored(network[CITY].js, ROLLUP, 2 * n)
    print(f"raw publish at the township: one at a time {one:,.0f}/s, pipelined {pipelined:,.0f}/s")

    lags = sorted(await steady_lag(network, args.rate, args.seconds))
    p50, p99 = statistics.median(lags) * 1000, lags[int(len(lags) * 0.99) - 1] * 1000
    load = f"{args.rate}/s for {args.seconds}s ({len(lags)} events)"
    print(f"township→city lag at {load}: p50 {p50:.2f} ms, p99 {p99:.2f} ms")

    for label, count, kill in (("link cut", args.backlog, False), ("county SIGKILL", args.backlog // 10, True)):
        result = await outage_backlog(network, count, kill)
        rate = result["catch_up_events_per_s"]
        print(
            f"{label}, backlog {count:,}: first event at county after {result['first_at_county_s']:.2f}s, "
            f"drained at county {result['drained_at_county_s']:.2f}s, at city {result['drained_at_city_s']:.2f}s; "
            f"catch-up {rate:,.0f}/s = {rate / pipelined:.2f}× pipelined publish, {rate / one:.2f}× one-at-a-time"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rate", type=int, default=500)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--backlog", type=int, default=100_000)
    asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    main()
