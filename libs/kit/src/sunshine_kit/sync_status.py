"""How far each level link has synced, computed from sequences the origin can vouch for.

The server's own source lag can read 0 while messages are missing (nats-notes), so it is not used. Instead,
for each durable source consumer (`levels`), the origin stream's last sequence is compared with the
consumer's ack floor — the last sequence the reader has confirmed it stored. A parent asks each child's
JetStream domain about the `UP_<parent>` consumers (on `EVENTS`, `ROLLUP` and `REPLIES`); a child asks its
parent's about `DOWN_<child>`. A consumer filtered to one reader's subjects (`DOWN_<child>`, and `UP_<parent>`
on `REPLIES`) counts its pending messages instead, since the stream's last sequence is not all its own.
A child that does not answer is reported unreachable: a child being down is normal operation.
"""

from __future__ import annotations

import argparse
import asyncio
import json
from dataclasses import asdict, dataclass, field
from datetime import datetime

import nats.errors
from nats.aio.client import Client
from nats.js.api import ConsumerInfo
from nats.js.errors import APIError, NotFoundError, ServiceUnavailableError
from nats.js.errors import Error as JetStreamError

from sunshine_kit.errors import DependencyUnavailable
from sunshine_kit.identity import StackIdentity
from sunshine_kit.jetstream import connect, server_answers
from sunshine_kit.levels import (
    DISPATCH,
    DISPATCH_INBOX,
    REPLIES,
    UPWARD_STREAMS,
    downward_consumer,
    upward_consumer,
)
from sunshine_kit.nats_server_config import jetstream_domain
from sunshine_kit.settings import StackSettings

ASK_TIMEOUT_S = 1.0
# The streams a child keeps for its parent: what the parent rolls up, and the replies addressed to it.
SOURCED_BY_PARENT = (*UPWARD_STREAMS, REPLIES)


@dataclass(frozen=True)
class StreamSync:
    """One origin stream as its reader has stored it."""

    stream: str
    last_sequence: int
    acknowledged_sequence: int
    behind: int
    reader_bound: bool
    last_acknowledged_at: datetime | None


@dataclass(frozen=True)
class ChildSync:
    division: str
    name: str
    reachable: bool
    streams: list[StreamSync] = field(default_factory=list)
    problem: str | None = None

    @property
    def behind(self) -> int | None:
        return sum(s.behind for s in self.streams) if self.reachable else None

    @property
    def active(self) -> bool:
        return self.reachable and all(s.reader_bound for s in self.streams)


@dataclass(frozen=True)
class InboxSync:
    """This stack's DISPATCH_INBOX against the parent's DISPATCH stream."""

    parent: str
    reachable: bool
    stored: int
    behind: int | None = None
    acknowledged_sequence: int | None = None
    problem: str | None = None


@dataclass(frozen=True)
class SyncStatus:
    division: str
    children: list[ChildSync]
    # How far the parent has stored this stack's own streams: read locally, so known even while cut off.
    upstream: list[StreamSync]
    inbox: InboxSync | None

    def as_dict(self) -> dict[str, object]:
        children = [{**asdict(c), "behind": c.behind, "active": c.active} for c in self.children]
        return {
            "division": self.division,
            "children": children,
            "upstream": [asdict(s) for s in self.upstream],
            "inbox": asdict(self.inbox) if self.inbox else None,
        }


async def sync_status(client: Client, identity: StackIdentity) -> SyncStatus:
    """Raises DependencyUnavailable when this stack's own NATS server does not answer: then nothing can be told
    of the links."""
    if not await server_answers(client, ASK_TIMEOUT_S):
        raise DependencyUnavailable(_hung("本级", "this stack's"))
    children = await asyncio.gather(*(_child(client, identity.division, c.division, c.name) for c in identity.children))
    parent = identity.parent_division
    if parent is None:
        return SyncStatus(identity.division, list(children), upstream=[], inbox=None)
    local = client.jetstream(timeout=ASK_TIMEOUT_S)
    try:
        upstream = [await _stream_sync(local, stream, upward_consumer(parent)) for stream in SOURCED_BY_PARENT]
        inbox = await _inbox(client, identity)
    except (TimeoutError, nats.errors.Error) as error:
        raise DependencyUnavailable(_problem(error, "本级", "this stack's")) from error
    return SyncStatus(identity.division, list(children), upstream, inbox)


async def _child(client: Client, parent: str, child: str, name: str) -> ChildSync:
    js = client.jetstream(domain=jetstream_domain(child), timeout=ASK_TIMEOUT_S)
    try:
        streams = [await _stream_sync(js, stream, upward_consumer(parent)) for stream in SOURCED_BY_PARENT]
    except (TimeoutError, nats.errors.Error, JetStreamError) as error:
        return ChildSync(child, name, reachable=False, problem=_problem(error, "下级", f"the child {child}'s"))
    return ChildSync(child, name, reachable=True, streams=streams)


async def _stream_sync(js, stream: str, consumer: str) -> StreamSync:  # type: ignore[no-untyped-def]
    info: ConsumerInfo = await js.consumer_info(stream, consumer)
    last = (await js.stream_info(stream)).state.last_seq
    floor = info.ack_floor.stream_seq if info.ack_floor else 0
    return StreamSync(
        stream=stream,
        last_sequence=last,
        acknowledged_sequence=floor,
        behind=_pending(info) if info.config.filter_subject else max(last - floor, 0),
        reader_bound=bool(info.push_bound),
        last_acknowledged_at=info.ack_floor.last_active if info.ack_floor else None,
    )


async def _inbox(client: Client, identity: StackIdentity) -> InboxSync:
    parent = identity.parent_division
    assert parent is not None
    stored = (await client.jetstream(timeout=ASK_TIMEOUT_S).stream_info(DISPATCH_INBOX)).state.messages
    js = client.jetstream(domain=jetstream_domain(parent), timeout=ASK_TIMEOUT_S)
    try:
        info = await js.consumer_info(DISPATCH, downward_consumer(identity.division))
    except (TimeoutError, nats.errors.Error, JetStreamError) as error:
        problem = _problem(error, "上级", f"the parent {parent}'s")
        return InboxSync(parent, reachable=False, stored=stored, problem=problem)
    floor = info.ack_floor.stream_seq if info.ack_floor else 0
    return InboxSync(parent, reachable=True, stored=stored, behind=_pending(info), acknowledged_sequence=floor)


def _pending(info: ConsumerInfo) -> int:
    """A filtered consumer's backlog: pending counts only its own subjects, not the stream's last sequence."""
    return (info.num_pending or 0) + (info.num_ack_pending or 0)


def _problem(error: BaseException, level: str, whose: str) -> str:
    """What is wrong, in plain words (Chinese for the operator, then English), not the client's exception."""
    if isinstance(error, ServiceUnavailableError | nats.errors.NoRespondersError):
        return (
            f"{level} NATS 无人应答：服务器已停止，或级联链路中断 / nothing answers for {whose} JetStream: "
            "its NATS server is down, or the link to it is cut"
        )
    if isinstance(error, TimeoutError):
        return _hung(level, whose)
    if isinstance(error, NotFoundError):
        return (
            f"{level}的同步消费者尚未建立 / {whose} sync consumer does not exist yet: the link is not provisioned "
            f"({error.description})"
        )
    if isinstance(error, APIError):
        return f"JetStream 拒绝了查询 / JetStream refused the query: {error.description} (code {error.code})"
    return f"{level} NATS 出错 / {whose} NATS failed: {type(error).__name__} {error}"


def _hung(level: str, whose: str) -> str:
    return (
        f"{level} NATS 在 {ASK_TIMEOUT_S:g} 秒内未应答：服务器挂起或过载 / {whose} NATS server did not answer "
        f"within {ASK_TIMEOUT_S:g}s: it is hung or overloaded"
    )


def main() -> None:
    """`sunshine-sync-status`: this stack's sync with its children and its parent, from SUNSHINE_* settings."""
    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    args = parser.parse_args()
    settings = StackSettings()
    status = asyncio.run(_status_once(settings))
    print(json.dumps(status.as_dict(), default=str, ensure_ascii=False, indent=2) if args.json else _table(status))


async def _status_once(settings: StackSettings) -> SyncStatus:
    client = await asyncio.wait_for(connect(settings.nats_url, "sunshine-sync-status"), timeout=10)
    try:
        return await sync_status(client, settings.identity)
    finally:
        await client.close()


def _table(status: SyncStatus) -> str:
    lines = [f"stack {status.division}", f"{'CHILD':<11}{'ACTIVE':<8}{'BEHIND':<8}LAST ACKNOWLEDGED"]
    for child in status.children:
        last = max((s.last_acknowledged_at for s in child.streams if s.last_acknowledged_at), default=None)
        behind = "-" if child.behind is None else str(child.behind)
        detail = child.problem or (last.isoformat() if last else "-")
        lines.append(f"{child.division:<11}{'yes' if child.active else 'no':<8}{behind:<8}{detail}")
    for stream in status.upstream:
        stored = f"last {stream.last_sequence}, stored up to {stream.acknowledged_sequence}"
        lines.append(f"upstream {stream.stream}: {stream.behind} behind ({stored})")
    if status.inbox:
        inbox = status.inbox
        behind = "-" if inbox.behind is None else str(inbox.behind)
        lines.append(
            f"inbox from {inbox.parent}: stored {inbox.stored}, behind {behind}"
            + (f" ({inbox.problem})" if inbox.problem else "")
        )
    return "\n".join(lines)
