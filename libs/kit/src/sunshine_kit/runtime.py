"""The life of one service process: database, NATS, outbox relay, event consumers and the gRPC server.

The gRPC server starts first and answers health checks NOT_SERVING; it turns SERVING only while the database
and the NATS server answer (NATS with the stack's stream in place), and back to NOT_SERVING when either goes
or hangs.
SIGTERM (or SIGINT) stops it cleanly: health NOT_SERVING, in-flight calls finish, background work stops.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from collections.abc import Awaitable, Callable, Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import TypeVar

from google.protobuf.message import Message
from nats.aio.client import Client
from prometheus_client import Gauge
from sqlalchemy import MetaData, text
from sqlalchemy.ext.asyncio import AsyncSession
from sunshine.events.v1.envelope_pb2 import Envelope

from sunshine_kit import jetstream, levels
from sunshine_kit.audit.call import Call
from sunshine_kit.audit.servicer import SERVICE_NAME as AUDIT_SERVICE
from sunshine_kit.audit.servicer import AuditServicer
from sunshine_kit.audit.servicer import add_to_server as add_audit
from sunshine_kit.audit.trail import HEAD_TABLE, LOG_TABLE, AuditTrail, record_of
from sunshine_kit.auth import ServiceCredentials
from sunshine_kit.auth.settings import AuthSettings
from sunshine_kit.calendar_coverage import coverage
from sunshine_kit.calendar_ledger import CALENDAR_TABLE, CalendarLedger, Recount
from sunshine_kit.db import create_engine, session_factory
from sunshine_kit.inbox import EventConsumer
from sunshine_kit.levels import LevelTopology
from sunshine_kit.metrics import ConsumerRef, MetricsEndpoint, Sampler, consumers_measurement, outbox_measurement
from sunshine_kit.migrations import upgrade_to_head
from sunshine_kit.outbox import Outbox, OutboxRelay
from sunshine_kit.rpc.client import ServiceChannel
from sunshine_kit.rpc.metrics import RpcMetricsInterceptor
from sunshine_kit.rpc.server import GrpcServer, Servicer
from sunshine_kit.settings import StackSettings
from sunshine_kit.telemetry import setup_logging, setup_tracing
from sunshine_kit.timestamps import china_date
from sunshine_kit.unit_of_work import UnitOfWork, queue_dispatch, queue_events, queue_replies
from sunshine_kit.working_days import InvalidCalendarOverride, WorkingDayCalendar

log = logging.getLogger(__name__)
READINESS_INTERVAL_S = 1.0
DATABASE_PROBE_TIMEOUT_S = 2.0
NATS_PROBE_TIMEOUT_S = 1.0
STOP_WAIT_S = 10.0
U = TypeVar("U", bound=UnitOfWork)
Handler = Callable[[AsyncSession, Envelope], Awaitable[None]]


def utc_now() -> datetime:
    return datetime.now(UTC)


class ServiceRuntime:
    def __init__(self, service: str, settings: StackSettings, metadata: MetaData, migrations: Path) -> None:
        self.service = service
        self.settings = settings
        self.identity = settings.identity
        self.calendar = WorkingDayCalendar(settings.calendar_override_file)
        self.engine = create_engine(settings.database_url(service))
        self.sessions = session_factory(self.engine)
        self._metadata = metadata
        self.outbox = Outbox(metadata.tables["outbox"])
        self.audit = AuditTrail(metadata.tables[LOG_TABLE], metadata.tables[HEAD_TABLE])
        self._inbox_table = metadata.tables["inbox"]
        self._migrations = migrations
        self._relay: OutboxRelay | None = None
        self._servicers: list[Servicer] = []
        self._channels: list[ServiceChannel] = []
        self._consumers: list[tuple[str, str, Handler, str]] = []
        self._periodic: list[tuple[float, str, Callable[[], Awaitable[object]]]] = []
        self._tasks: list[asyncio.Task[None]] = []
        self._nats: Client | None = None
        self._stream_ready = False
        self._server: GrpcServer | None = None
        self._metrics: MetricsEndpoint | None = None
        self._sampler = Sampler(settings.metrics_interval_s)
        # Built now, so that a start without the keys it needs is refused before anything runs.
        self._verifier = AuthSettings().caller_verifier(self.identity.division, settings.data_dir)

    def unit_of_work(self, kind: type[U]) -> Callable[[], U]:
        return lambda: kind(self.sessions, self.outbox, self.audit, self.identity, self.service, self._wake_relay)

    def service_credentials(self) -> ServiceCredentials:
        """This service's own token (service:<name> of the stack's division), for calls made without a caller."""
        return AuthSettings().service_credentials(self.service, self.identity.division, self.settings.data_dir)

    def channel(self, service: str, deadline_s: float) -> ServiceChannel:
        """A channel to another service of this stack, opened in the service's loop on first use and closed
        when the service stops."""
        channel = ServiceChannel(self.settings.grpc_addr(service), deadline_s)
        self._channels.append(channel)
        return channel

    def add_servicer(self, servicer: Servicer) -> None:
        self._servicers.append(servicer)

    def add_consumer(self, durable: str, filter_subject: str, handler: Handler, stream: str = levels.EVENTS) -> None:
        """A durable pull consumer on one of the stack's streams (EVENTS, ROLLUP for everything below,
        DISPATCH_INBOX for work from the parent, REPLY_INBOX for the children's replies); replicas share it,
        each event is applied once."""
        self._consumers.append((durable, filter_subject, handler, stream))

    async def publish_in(self, session: AsyncSession, payloads: Iterable[Message]) -> None:
        """For event handlers: queue this service's events in the transaction the inbox opened for them; the
        relay is woken when that transaction commits."""
        await queue_events(self.outbox, session, self.identity, self.service, payloads)

    async def dispatch_in(self, session: AsyncSession, child: str, payloads: Iterable[Message]) -> None:
        """For event handlers: queue work for one child stack in the inbox's transaction
        (`UnitOfWork.dispatch`)."""
        await queue_dispatch(self.outbox, session, self.identity, self.service, child, payloads)

    async def reply_in(self, session: AsyncSession, payloads: Iterable[Message]) -> None:
        """For event handlers: queue replies to the parent stack in the inbox's transaction
        (`UnitOfWork.reply`)."""
        await queue_replies(self.outbox, session, self.identity, self.service, payloads)

    def watch_calendar(self, recount: Recount) -> None:
        """Re-read the calendar override file every `calendar_check_interval_s` (and at start), then
        `recount(changed)`: the service counts its provisional dates again, and every open case through a year
        in `changed`, whose official schedule changed since the cases were last counted (`calendar_ledger`, kept
        in the service's `calendar_schedules` table). A malformed file is logged and the schedule in use kept."""
        ledger = CalendarLedger(self.sessions, self._metadata.tables[CALENDAR_TABLE])
        interval = self.settings.calendar_check_interval_s
        self.every(interval, "calendar check", lambda: self._check_calendar(ledger, recount))

    async def _check_calendar(self, ledger: CalendarLedger, recount: Recount) -> None:
        try:
            changed = self.calendar.reload()
        except InvalidCalendarOverride as error:
            log.error("%s; the calendar in use is kept", error)
        else:
            if changed:
                log.warning("calendar override file changed for %s: counting the open cases again", sorted(changed))
        recounted = await ledger.check(self.calendar, recount)
        if recounted:
            log.warning("the official schedule of %s changed: open cases through it counted again", sorted(recounted))

    def every(self, interval_s: float, name: str, job: Callable[[], Awaitable[object]]) -> None:
        """Run `job` now and then every `interval_s` while the service runs; a failed run is logged and retried
        at the next interval (the database may be away for a while)."""
        self._periodic.append((interval_s, name, job))

    def measure(self, gauge: Gauge, read: Callable[[], Awaitable[float]]) -> None:
        """A gauge of the service's own (labelled with the division only), set from `read()` at every metrics
        sample while the metrics endpoint is on."""

        async def measurement() -> None:
            gauge.labels(self.identity.division).set(await read())

        self._sampler.add(gauge.describe()[0].name, measurement)

    def run(self) -> None:
        """The process's main: JSON logs, tracing, then serve until SIGTERM or SIGINT."""
        setup_logging(self.service, self.identity.division)
        setup_tracing(self.service, self.identity, self.settings.otel_exporter)
        asyncio.run(self._serve_until_signalled())

    async def _serve_until_signalled(self) -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(signum, stop.set)
        await self.start()
        await stop.wait()
        await self.stop()

    async def start(self) -> None:
        metrics = RpcMetricsInterceptor(self.identity.division, self.service)
        audit = Servicer(AuditServicer(self.audit, self.sessions, self.identity.division), add_audit, AUDIT_SERVICE)
        address = self.settings.grpc_addr(self.service)
        self._server = GrpcServer(address, [*self._servicers, audit], self._verifier, [metrics], self._record_refusal)
        await self._server.start()
        today = china_date(utc_now())
        for warning in coverage(self.calendar, today).warnings:
            log.warning(warning)
        if self.settings.migrate_on_start:
            await upgrade_to_head(self.engine, self._migrations)
        self._tasks = [asyncio.create_task(self._connect_events()), asyncio.create_task(self._watch(self._server))]
        # A first provisional year loads the holidays package's calendars (1–3 s, bench/working_days.py): now, in
        # a thread, rather than in the first request that counts into it.
        self._tasks.append(asyncio.create_task(asyncio.to_thread(self.calendar.schedule, today.year + 1)))
        self._tasks += [asyncio.create_task(_repeat(*periodic)) for periodic in self._periodic]
        self._start_metrics()

    def _start_metrics(self) -> None:
        address = self.settings.metrics_addr(self.service)
        if address is None:
            return
        self._metrics = MetricsEndpoint.serve(address)
        if self._metrics is None:
            return
        labels = (self.identity.division, self.service)
        self._sampler.add("outbox", outbox_measurement(self.outbox, self.engine, labels, utc_now))
        self._tasks.append(asyncio.create_task(self._sampler.run()))

    @property
    def metrics_port(self) -> int | None:
        """The bound port of the metrics endpoint (None when it is off)."""
        return None if self._metrics is None else self._metrics.port

    @property
    def grpc_port(self) -> int:
        """The bound port (an address ending in :0 picks a free one)."""
        assert self._server is not None, "start() first"
        return self._server.port

    async def stop(self) -> None:
        log.info("stopping %s", self.service)
        if self._server is not None:
            await self._server.stop()
        for task in self._tasks:
            task.cancel()
        # Bounded: a library that swallows a cancellation must not keep the process from stopping.
        _, stuck = await asyncio.wait(self._tasks, timeout=STOP_WAIT_S) if self._tasks else (set(), set())
        for task in stuck:
            log.error("%s: background task %s did not stop within %ss", self.service, task.get_name(), STOP_WAIT_S)
        for channel in self._channels:
            await channel.close()
        if self._nats is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self._nats.close(), STOP_WAIT_S)
        if self._metrics is not None:
            self._metrics.close()
        await self.engine.dispose()

    async def _connect_events(self) -> None:
        self._nats = await jetstream.connect(self.settings.nats_url, name=f"{self.service}-{self.identity.division}")
        js = self._nats.jetstream()
        await levels.provision(js, LevelTopology(self.identity))
        self._stream_ready = True
        self._relay = OutboxRelay(self.engine, self.outbox, js)
        self._tasks.append(asyncio.create_task(self._relay.run()))
        for durable, subject, handler, stream in self._consumers:
            consumer = EventConsumer(
                js,
                self.sessions,
                self._inbox_table,
                durable,
                subject,
                handler,
                stream=stream,
                on_commit=self._wake_relay,
            )
            self._tasks.append(asyncio.create_task(consumer.run()))
        refs = [ConsumerRef(stream, durable) for durable, _, _, stream in self._consumers]
        labels = (self.identity.division, self.service)
        self._sampler.add("consumers", consumers_measurement(js, refs, labels))

    async def _record_refusal(self, call: Call, request: Message) -> None:
        """A refused call leaves an entry of its own (it changed nothing, so no unit of work recorded it); when
        the database cannot take it, the caller still gets its refusal and the log says so."""
        try:
            async with self.sessions() as session, session.begin():
                await self.audit.append(session, call, [(f"denied:{call.name}", record_of(request))])
        except Exception:
            log.exception("%s: could not record the refusal of %s to %s", self.service, call.method, call.subject)

    def _wake_relay(self) -> None:
        if self._relay is not None:
            self._relay.notify()

    async def _watch(self, server: GrpcServer) -> None:
        serving: bool | None = None
        while True:
            ready = await self._database_answers() and await self._events_ready()
            if ready != serving:
                log.info("%s is %s", self.service, "SERVING" if ready else "NOT_SERVING")
                await server.set_serving(ready)
                serving = ready
            await asyncio.sleep(READINESS_INTERVAL_S)

    async def _events_ready(self) -> bool:
        return (
            self._stream_ready
            and self._nats is not None
            and await jetstream.server_answers(self._nats, NATS_PROBE_TIMEOUT_S)
        )

    async def _database_answers(self) -> bool:
        try:
            async with asyncio.timeout(DATABASE_PROBE_TIMEOUT_S), self.engine.connect() as connection:
                # AUTOCOMMIT: a probe must not queue for SQLite's write lock (db.py opens transactions IMMEDIATE).
                await connection.execution_options(isolation_level="AUTOCOMMIT")
                await connection.execute(text("SELECT 1"))
            return True
        except Exception as error:  # any failure means "not ready"; the reason goes to the log
            log.warning("database not ready: %s", error)
            return False


async def _repeat(interval_s: float, name: str, job: Callable[[], Awaitable[object]]) -> None:
    while True:
        try:
            await job()
        except Exception:
            log.exception("%s failed; next try in %.0fs", name, interval_s)
        await asyncio.sleep(interval_s)
