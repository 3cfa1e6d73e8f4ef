"""What the request metrics cost per call, next to the same calls without them, in one run.

    uv run python bench/metrics_overhead.py [--calls 5000] [--rounds 3]

- gRPC: sequential unary health checks through a real GrpcServer on loopback, with and without the
  RpcMetricsInterceptor (the guard and tracing interceptors stay in both);
- HTTP: sequential GETs of one route of a FastAPI app in process (httpx ASGI transport, no network), with and
  without the gateway's HttpMetrics middleware;
- the recording alone (a labelled counter and a histogram observation, as per call), timed in a tight loop:
  the part of the cost that load on the machine does not blur.

The rounds alternate between the two variants, so load from other processes on the machine falls on both.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

import grpc
import httpx
from fastapi import FastAPI
from gateway.entrypoints.metrics import HttpMetrics
from grpc_health.v1 import health_pb2, health_pb2_grpc
from sunshine_kit.auth.settings import AuthSettings
from sunshine_kit.rpc.metrics import HANDLED, HANDLING_SECONDS, RpcMetricsInterceptor
from sunshine_kit.rpc.server import GrpcServer


@dataclass(frozen=True)
class Variant:
    run: Callable[[int], Awaitable[float]]
    """Makes that many calls; the seconds they took."""
    close: Callable[[], Awaitable[None]]


async def grpc_calls(with_metrics: bool, key_dir: Path) -> Variant:
    verifier = AuthSettings(mode="dev", dev_key_file=key_dir / "dev.pem").caller_verifier("510100", key_dir)
    interceptors = [RpcMetricsInterceptor("510100", "bench")] if with_metrics else []
    server = GrpcServer("127.0.0.1:0", [], verifier, interceptors)
    await server.start()
    await server.set_serving(True)
    channel = grpc.aio.insecure_channel(f"127.0.0.1:{server.port}")
    stub = health_pb2_grpc.HealthStub(channel)
    request = health_pb2.HealthCheckRequest(service="")

    async def run(calls: int) -> float:
        started = time.perf_counter()
        for _ in range(calls):
            await stub.Check(request)
        return time.perf_counter() - started

    async def close() -> None:
        await channel.close()
        await server.stop(0)

    return Variant(run, close)


def http_calls(with_metrics: bool) -> Variant:
    app = FastAPI()

    @app.get("/api/v1/things/{thing_id}")
    async def thing(thing_id: str) -> dict[str, str]:
        return {"id": thing_id}

    if with_metrics:
        app.add_middleware(HttpMetrics, division="510100")
    client = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://bench")

    async def run(calls: int) -> float:
        started = time.perf_counter()
        for n in range(calls):
            (await client.get(f"/api/v1/things/{n}")).raise_for_status()
        return time.perf_counter() - started

    return Variant(run, client.aclose)


async def compare(name: str, without: Variant, with_: Variant, calls: int, rounds: int) -> None:
    try:
        await without.run(200)  # warm-up
        await with_.run(200)
        timings: dict[str, list[float]] = {"without metrics": [], "with metrics": []}
        for _ in range(rounds):
            timings["without metrics"].append(await without.run(calls))
            timings["with metrics"].append(await with_.run(calls))
    finally:
        await without.close()
        await with_.close()
    print(f"== {name}: {calls} sequential calls x {rounds} rounds (median)")
    medians = {label: statistics.median(values) for label, values in timings.items()}
    for label, seconds in medians.items():
        print(f"   {label:16} {calls / seconds:9.0f} calls/s   {seconds / calls * 1e6:7.1f} µs/call")
    extra = (medians["with metrics"] - medians["without metrics"]) / calls * 1e6
    print(f"   cost of the metrics: {extra:+.1f} µs per call")


def recording_alone(calls: int) -> None:
    labels = ("510100", "bench", "sunshine.hotline.v1.HotlineService", "AcceptTicket")
    started = time.perf_counter()
    for _ in range(calls):
        HANDLING_SECONDS.labels(*labels).observe(0.004)
        HANDLED.labels(*labels, "OK").inc()
    seconds = time.perf_counter() - started
    print(f"== recording one call's metrics alone, {calls} times: {seconds / calls * 1e6:.1f} µs per call")


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--calls", type=int, default=5000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as keys:
        plain, measured = await grpc_calls(False, Path(keys)), await grpc_calls(True, Path(keys))
        await compare("gRPC unary call (GrpcServer, loopback)", plain, measured, args.calls, args.rounds)
    await compare("HTTP GET (FastAPI in process)", http_calls(False), http_calls(True), args.calls, args.rounds)
    recording_alone(args.calls * 20)


if __name__ == "__main__":
    asyncio.run(main())
