"""Ticket intake through the gateway next to a bare FastAPI endpoint inserting the same row, in one run.

    uv run python bench/hotline_intake.py [--tickets 300]

- gateway: POST /api/v1/hotline/tickets → token check → gRPC AcceptTicket → token and role check, duplicate
  check, caller data sealed → ticket row, history row and outbox row in one transaction → the relay publishes
  to JetStream. Latency is per request; "through JetStream" is the time until the stream holds every event.
- bare: a FastAPI endpoint that builds the same Ticket and inserts the same rows (TicketRepository.add) into
  the same SQLite database, with no auth, no gRPC, no duplicate check, no outbox.

Both are driven one request at a time through Starlette's TestClient, on one machine shared with nats-server.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hotline.adapters.personal_data import PersonalDataCipher
from hotline.adapters.ticket_repository import TicketRepository
from hotline.domain.caller import Caller
from hotline.domain.ticket import Intake, Ticket
from hotline.domain.time_limits import TimeLimits
from hotline.domain.vocabulary import Category, Channel
from nats.js import JetStreamContext
from sunshine_kit.auth.principal import Role
from sunshine_kit.db import create_engine, session_factory
from sunshine_kit.jetstream import connect
from sunshine_kit.runtime import utc_now
from sunshine_kit.testing import NatsServer
from sunshine_kit.testing.streams import stored_messages
from sunshine_kit.testing.waiting import wait_until
from sunshine_kit.working_days import WorkingDayCalendar

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tests.stack_in_process import in_process_stack  # noqa: E402

BODY = {
    "category": "complaint",
    "topic": "环境卫生",
    "channel": "phone",
    "place_division": "510104",
    "address": "春熙路18号",
    "description": "小区门口垃圾堆放三天无人清运，气味很大",
    "caller": {"name": "张三", "phone": "13800001234"},
}


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def timed(client: TestClient, count: int, headers: dict[str, str]) -> tuple[float, list[float]]:
    latencies = []
    started = time.perf_counter()
    for i in range(count):
        begin = time.perf_counter()
        # A different description each time, so the duplicate check finds candidates but no duplicate.
        reply = client.post(
            "/api/v1/hotline/tickets", json={**BODY, "description": f"{BODY['description']}{i}"}, headers=headers
        )
        latencies.append(time.perf_counter() - begin)
        if reply.status_code != 201:
            raise RuntimeError(reply.text)
    return time.perf_counter() - started, latencies


def bare_app(database_url: str, cipher: PersonalDataCipher) -> FastAPI:
    app = FastAPI()
    engine = create_engine(database_url)
    sessions = session_factory(engine)
    limits = TimeLimits(WorkingDayCalendar())

    @app.post("/api/v1/hotline/tickets", status_code=201)
    async def insert(body: dict) -> dict:
        intake = Intake(Category.COMPLAINT, body["topic"], Channel.PHONE, body["place_division"], body["address"],
                        body["description"], caller=Caller(**body["caller"]))  # fmt: skip
        ticket = Ticket.accept(intake, utc_now(), limits)
        async with sessions() as session, session.begin():
            await TicketRepository(session, cipher).add(ticket)
        return {"id": ticket.id}

    return app


async def all_streamed(js: JetStreamContext, expected: int) -> bool:
    return len([m for m in await stored_messages(js, "EVENTS") if ".hotline." in m.subject]) >= expected


def report(name: str, count: int, elapsed: float, latencies: list[float]) -> None:
    print(
        f"{name:<34} {count / elapsed:8.1f} tickets/s   p50 {statistics.median(latencies) * 1000:6.1f} ms"
        f"   p99 {percentile(latencies, 0.99) * 1000:6.1f} ms"
    )


async def main(count: int) -> None:
    with tempfile.TemporaryDirectory(prefix="sunshine-bench-") as tmp, NatsServer(Path(tmp) / "nats") as server:
        monkeypatch = pytest.MonkeyPatch()
        async with in_process_stack(server.url, Path(tmp), monkeypatch) as stack:
            headers = stack.token(Role.HOTLINE_OPERATOR)
            await asyncio.to_thread(timed, stack.gateway, 20, headers)  # warm-up
            started = time.perf_counter()
            elapsed, latencies = await asyncio.to_thread(timed, stack.gateway, count, headers)
            async with await connect(server.url, "bench") as nats:
                await wait_until(lambda: all_streamed(nats.jetstream(), count + 20), within=600)
            streamed = time.perf_counter() - started
            url = stack.settings.database_url("hotline")
            cipher = PersonalDataCipher(bytes(32))
        monkeypatch.undo()
        with TestClient(bare_app(url, cipher)) as bare:
            timed(bare, 20, {})
            bare_elapsed, bare_latencies = timed(bare, count, {})
    print(f"hotline intake, {count} tickets, one at a time, SQLite")
    report("gateway → gRPC → DB + outbox", count, elapsed, latencies)
    print(f"{'  … all events in JetStream after':<34} {streamed:8.2f} s")
    report("bare FastAPI insert, same rows", count, bare_elapsed, bare_latencies)


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--tickets", type=int, default=300)
    asyncio.run(main(parser.parse_args().tickets))
