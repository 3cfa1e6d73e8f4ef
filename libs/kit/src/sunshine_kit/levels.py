"""The level hierarchy on JetStream: what each stack provisions so that events flow up, work flows down and
replies go back to the parent.

Every stack's nats-server has its own JetStream domain (`nats_server_config.jetstream_domain`) and is a leaf
node of its parent's. At start-up a stack provisions, idempotently:

- `EVENTS`: its own events, `sunshine.<division>.<service>.>` for each producing service. Upward-safe by
  contract (no personal data), and sourced by the parent.
- `DISPATCH`: work it addresses to one child, `sunshine.<division>.dispatch.<child>.>`. Never sourced upward:
  it carries what the handling unit needs to do the work.
- `ROLLUP`: every child's `EVENTS` and `ROLLUP`, sourced across domains, so the city sees the townships
  through the county. Removing a child stops its sources; what was received stays.
- `DISPATCH_INBOX` (when it has a parent): the parent's `DISPATCH` messages addressed to this stack only.
- `REPLIES` (when it has a parent): its answers to work from the parent, `sunshine.<division>.reply.<parent>.>`.
  Read by the parent only, never passed further up: like `DISPATCH`, it may carry what the parent needs.
- `REPLY_INBOX`: every child's `REPLIES` addressed to this stack. It is no upward stream, so a reply stops here.

Sourcing is *durable*: the origin side creates a push consumer with flow-control acks for its reader, and
the reader's stream source names it. It resumes within seconds after an outage (the default ephemeral source
waits about 40 s), and its ack floor says exactly how far the reader has stored — the basis of sync status
(`sync_status.py`). Each side creates the consumers on its own streams, so provisioning never needs the link:
a child creates `UP_<parent>` on its `EVENTS`, `ROLLUP` and `REPLIES` (the last filtered to its parent); a
parent creates `DOWN_<child>` on `DISPATCH`, filtered to that child.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from nats.js import JetStreamContext
from nats.js.api import (
    ConsumerConfig,
    DeliverPolicy,
    DiscardPolicy,
    ExternalStream,
    RetentionPolicy,
    StorageType,
    StreamConfig,
    StreamConsumerSource,
    StreamSource,
)
from nats.js.errors import BadRequestError

from sunshine_kit.envelope import SUBJECT_ROOT, Event
from sunshine_kit.identity import StackIdentity
from sunshine_kit.jetstream import (
    DEFAULT_DUPLICATE_WINDOW,
    DEFAULT_MAX_AGE,
    EVENTS_STREAM,
    ensure_stream,
    event_stream_config,
)
from sunshine_kit.nats_server_config import jetstream_domain

EVENTS = EVENTS_STREAM
DISPATCH = "DISPATCH"
ROLLUP = "ROLLUP"
DISPATCH_INBOX = "DISPATCH_INBOX"
REPLIES = "REPLIES"
REPLY_INBOX = "REPLY_INBOX"
# What the parent sources from a child and passes further up. REPLIES is read by the parent too, but into its
# REPLY_INBOX, which no stream above sources.
UPWARD_STREAMS = (EVENTS, ROLLUP)
CONSUMER_NAME_IN_USE = 10148  # JetStream err_code: a consumer of this name exists with another config
SOURCE_HEARTBEAT_S = 1.0
# In-flight window of a durable source: flow-control acks arrive per window (or per heartbeat when idle), so
# the default 1,000 throttles catching up on a backlog to one window per round trip.
SOURCE_MAX_ACK_PENDING = 20_000


def dispatch_subject(parent: str, child: str, topic: str) -> str:
    """Where a parent publishes work for one child, e.g. sunshine.510117.dispatch.510117101.hotline.ticket."""
    return f"{SUBJECT_ROOT}.{parent}.dispatch.{child}.{topic}"


def dispatch_filter(parent: str, child: str) -> str:
    return f"{SUBJECT_ROOT}.{parent}.dispatch.{child}.>"


def reply_subject(child: str, parent: str, topic: str) -> str:
    """Where a child publishes a reply to its parent, e.g. sunshine.510117101.reply.510117.hotline.ticket."""
    return f"{SUBJECT_ROOT}.{child}.reply.{parent}.{topic}"


def reply_filter(child: str, parent: str) -> str:
    return f"{SUBJECT_ROOT}.{child}.reply.{parent}.>"


def upward_consumer(parent: str) -> str:
    return f"UP_{parent}"


def downward_consumer(child: str) -> str:
    return f"DOWN_{child}"


def deliver_subject(reader: str, origin: str, stream: str) -> str:
    """Outside `sunshine.>`: the level link refuses application subjects (nats_server_config), and a durable
    source's deliveries cross the link on this subject."""
    return f"sync.{jetstream_domain(reader)}.{jetstream_domain(origin)}.{stream}"


@dataclass(frozen=True)
class LevelTopology:
    """The streams and consumers one stack provisions, from its identity (parent and children)."""

    identity: StackIdentity
    max_age: timedelta = DEFAULT_MAX_AGE
    duplicate_window: timedelta = DEFAULT_DUPLICATE_WINDOW

    @property
    def division(self) -> str:
        return self.identity.division

    def streams(self) -> list[StreamConfig]:
        streams = [self._events(), self._dispatch(), self._rollup(), self._reply_inbox()]
        parent = self.identity.parent_division
        if parent:
            streams += [self._dispatch_inbox(parent), self._replies()]
        return streams

    def consumers(self) -> list[tuple[str, ConsumerConfig]]:
        """(stream, consumer) pairs this stack creates on its own streams for its parent and children."""
        consumers = [(DISPATCH, self._downward(child.division)) for child in self.identity.children]
        parent = self.identity.parent_division
        if parent:
            consumers += [(stream, self._upward(parent, stream)) for stream in UPWARD_STREAMS]
            consumers.append((REPLIES, self._replying(parent)))
        return consumers

    def _events(self) -> StreamConfig:
        return event_stream_config(self.identity, max_age=self.max_age, duplicate_window=self.duplicate_window)

    def _dispatch(self) -> StreamConfig:
        return self._stream(
            DISPATCH, "Work addressed to child stacks", subjects=[f"{SUBJECT_ROOT}.{self.division}.dispatch.>"]
        )

    def _rollup(self) -> StreamConfig:
        sources = [
            _durable_source(
                child.division,
                stream,
                upward_consumer(self.division),
                deliver_subject(self.division, child.division, stream),
            )
            for child in self.identity.children
            for stream in UPWARD_STREAMS
        ]
        return self._stream(ROLLUP, "Events of every stack below", sources=sources)

    def _dispatch_inbox(self, parent: str) -> StreamConfig:
        source = _durable_source(
            parent, DISPATCH, downward_consumer(self.division), deliver_subject(self.division, parent, DISPATCH)
        )
        return self._stream(DISPATCH_INBOX, "Work the parent addressed to this stack", sources=[source])

    def _replies(self) -> StreamConfig:
        return self._stream(
            REPLIES, "Replies to the parent stack", subjects=[f"{SUBJECT_ROOT}.{self.division}.reply.>"]
        )

    def _reply_inbox(self) -> StreamConfig:
        sources = [
            _durable_source(
                child.division,
                REPLIES,
                upward_consumer(self.division),
                deliver_subject(self.division, child.division, REPLIES),
            )
            for child in self.identity.children
        ]
        return self._stream(REPLY_INBOX, "Replies of the child stacks to this stack", sources=sources)

    def _stream(self, name: str, description: str, **shape: object) -> StreamConfig:
        return StreamConfig(
            name=name,
            description=f"{description} ({self.division})",
            retention=RetentionPolicy.LIMITS,
            storage=StorageType.FILE,
            discard=DiscardPolicy.OLD,
            max_age=self.max_age.total_seconds(),
            duplicate_window=self.duplicate_window.total_seconds(),
            **shape,  # type: ignore[arg-type]
        )

    def _upward(self, parent: str, stream: str) -> ConsumerConfig:
        return _source_consumer(upward_consumer(parent), deliver_subject(parent, self.division, stream))

    def _replying(self, parent: str) -> ConsumerConfig:
        consumer = _source_consumer(upward_consumer(parent), deliver_subject(parent, self.division, REPLIES))
        consumer.filter_subject = reply_filter(self.division, parent)
        return consumer

    def _downward(self, child: str) -> ConsumerConfig:
        consumer = _source_consumer(downward_consumer(child), deliver_subject(child, self.division, DISPATCH))
        consumer.filter_subject = dispatch_filter(self.division, child)
        return consumer


def _source_consumer(name: str, deliver: str) -> ConsumerConfig:
    return ConsumerConfig(
        durable_name=name,
        deliver_subject=deliver,
        deliver_policy=DeliverPolicy.ALL,
        flow_control=True,
        idle_heartbeat=SOURCE_HEARTBEAT_S,
        max_ack_pending=SOURCE_MAX_ACK_PENDING,
        ack_policy="flow_control",  # type: ignore[arg-type]  # what stream sources need; nats-py has no member
    )


def _durable_source(origin: str, stream: str, consumer: str, deliver: str) -> StreamSource:
    return StreamSource(
        name=stream,
        consumer=StreamConsumerSource(name=consumer, deliver_subject=deliver),
        external=ExternalStream(api=f"$JS.{jetstream_domain(origin)}.API"),
    )


async def provision(js: JetStreamContext, topology: LevelTopology) -> None:
    """Safe to repeat and to run from several processes at once."""
    for stream in topology.streams():
        await ensure_stream(js, stream)
    for stream, consumer in topology.consumers():
        await _ensure_consumer(js, stream, consumer)


async def _ensure_consumer(js: JetStreamContext, stream: str, consumer: ConsumerConfig) -> None:
    try:
        await js.add_consumer(stream, consumer)
    except BadRequestError as error:
        # An existing source consumer keeps its position; only its config may not be changed in place.
        if error.err_code != CONSUMER_NAME_IN_USE:
            raise


def addressed_to(child: str, event: Event) -> Event:
    """The same event, published for one child: sunshine.<parent>.<service>.<aggregate>.<happening> becomes
    sunshine.<parent>.dispatch.<child>.<service>.<aggregate>.<happening>, which lands in the parent's DISPATCH
    stream and only that child's DISPATCH_INBOX."""
    _, parent, rest = event.subject.split(".", 2)
    return Event(dispatch_subject(parent, child, rest), event.envelope)


def replied_to(parent: str, event: Event) -> Event:
    """The same event, published as a reply to the parent: sunshine.<child>.<service>.<aggregate>.<happening>
    becomes sunshine.<child>.reply.<parent>.<service>.<aggregate>.<happening>, which lands in the child's
    REPLIES stream and only that parent's REPLY_INBOX."""
    _, child, rest = event.subject.split(".", 2)
    return Event(reply_subject(child, parent, rest), event.envelope)
