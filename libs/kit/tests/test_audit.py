"""The audit trail on SQLite and PostgreSQL: entries written with the change they record, chained, append-only,
and a verification that finds a changed, removed or missing entry."""

from __future__ import annotations

import asyncio
import sys

import pytest
from alembic.migration import MigrationContext
from alembic.operations import Operations
from google.protobuf.wrappers_pb2 import StringValue
from sqlalchemy import Connection, MetaData, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from sunshine.events.v1.hotline_pb2 import TicketAccepted, TicketDispatched
from sunshine_kit.audit import AuditQuery, AuditTrail, Call, audit_tables, cli, in_call, record_of
from sunshine_kit.audit.migration import create_audit_trail
from sunshine_kit.auth import Principal, Role, ServicePrincipal
from sunshine_kit.db import session_factory
from sunshine_kit.identity import Level, StackIdentity
from sunshine_kit.outbox import Outbox, outbox_table
from sunshine_kit.unit_of_work import UnitOfWork

COUNTY = StackIdentity(Level.COUNTY, "510117", "测试县")
OPERATOR = Principal("op-1", frozenset({Role.HOTLINE_OPERATOR, Role.LEADER}), "510117")
METHOD = "/sunshine.hotline.v1.HotlineService/TransitionTicket"
CALL = Call.of(OPERATOR, METHOD, "203.0.113.7")


class Stack:
    def __init__(self, engine: AsyncEngine) -> None:
        metadata = MetaData()
        self.outbox = Outbox(outbox_table(metadata))
        self.trail = AuditTrail(*audit_tables(metadata))
        self.sessions: async_sessionmaker[AsyncSession] = session_factory(engine)
        self.engine = engine

    def unit_of_work(self) -> UnitOfWork:
        return UnitOfWork(self.sessions, self.outbox, self.trail, COUNTY, "hotline", lambda: None)

    async def entries(self, **query: object) -> list:  # type: ignore[type-arg]
        async with self.sessions() as session:
            return await self.trail.entries(session, AuditQuery(**query))  # type: ignore[arg-type]

    async def verify(self):  # type: ignore[no-untyped-def]
        async with self.sessions() as session:
            return await self.trail.verify(session)

    async def execute(self, statement: str) -> None:
        async with self.engine.begin() as connection:
            await connection.execute(text(statement))


def _migrate(connection: Connection) -> None:
    outbox_table(metadata := MetaData())
    metadata.create_all(connection)
    with Operations.context(MigrationContext.configure(connection)):
        create_audit_trail()


@pytest.fixture
async def stack(db_engine: AsyncEngine) -> Stack:
    async with db_engine.begin() as connection:
        await connection.run_sync(_migrate)
    return Stack(db_engine)


async def change(stack: Stack, *payloads: object, read: tuple[str, str] | None = None) -> None:
    async with stack.unit_of_work() as uow:
        await uow.publish(payloads)  # type: ignore[arg-type]
        if read:
            uow.audited_read(*read)
        await uow.commit()


async def test_a_change_in_a_call_commits_one_entry_per_event(stack: Stack) -> None:
    with in_call(CALL):
        await change(stack, TicketAccepted(ticket_id="t1"), TicketDispatched(ticket_id="t1"))
    entries = await stack.entries()
    assert [(e.seq, e.action, e.record) for e in entries] == [
        (1, "TicketAccepted", "ticket:t1"),
        (2, "TicketDispatched", "ticket:t1"),
    ]
    first = entries[0]
    assert (first.subject, first.roles, first.division) == ("op-1", "hotline_operator,leader", "510117")
    assert (first.call, first.client_address) == (METHOD, "203.0.113.7")
    assert entries[1].previous_hash == first.hash != ""


async def test_a_change_without_events_is_recorded_under_the_call_and_a_read_under_what_was_read(
    stack: Stack,
) -> None:
    citizen = Call.of(None, "/sunshine.disclosure.v1.DisclosureService/CommentOnDecision", "198.51.100.2")
    with in_call(citizen):
        await change(stack)
    with in_call(Call.of(ServicePrincipal("hotline", "510117"), "/x.Y/GetContact", "10.0.0.5")):
        await change(stack, read=("applicant", "request:r1"))
    entries = await stack.entries()
    assert [(e.subject, e.action, e.record) for e in entries] == [
        ("anonymous", "CommentOnDecision", ""),
        ("service:hotline", "read:applicant", "request:r1"),
    ]


async def test_work_outside_a_call_and_rolled_back_work_leave_no_entry(stack: Stack) -> None:
    await change(stack, TicketAccepted(ticket_id="t1"))  # a background job: no caller to record
    with in_call(CALL):
        async with stack.unit_of_work() as uow:
            await uow.publish([TicketAccepted(ticket_id="t2")])
            uow.audited_read("caller", "ticket:t2")  # left without commit: rolled back
    assert await stack.entries() == []
    assert (await stack.verify()).intact


async def test_the_chain_verifies_and_its_head_names_the_last_entry(stack: Stack) -> None:
    with in_call(CALL):
        for n in range(5):
            await change(stack, TicketAccepted(ticket_id=f"t{n}"))
    verification = await stack.verify()
    last = (await stack.entries())[-1]
    assert (verification.intact, verification.entries) == (True, 5)
    assert (verification.head_seq, verification.head_hash) == (5, last.hash)


async def test_entries_cannot_be_changed_or_deleted(stack: Stack) -> None:
    with in_call(CALL):
        await change(stack, TicketAccepted(ticket_id="t1"))
    for statement in (
        "UPDATE audit_log SET subject = 'someone-else'",
        "DELETE FROM audit_log",
        "DELETE FROM audit_head",
    ):
        with pytest.raises(DBAPIError, match="append-only"):
            await stack.execute(statement)
    assert [e.subject for e in await stack.entries()] == ["op-1"]


async def _without_guards(stack: Stack, statement: str) -> None:
    """What someone with the database owner's rights could do: drop the guards and rewrite."""
    postgres = stack.engine.dialect.name == "postgresql"
    async with stack.engine.begin() as connection:
        if postgres:
            await connection.execute(text("ALTER TABLE audit_log DISABLE TRIGGER USER"))
        else:
            await connection.execute(text("DROP TRIGGER audit_log_no_update"))
            await connection.execute(text("DROP TRIGGER audit_log_no_delete"))
        await connection.execute(text(statement))


@pytest.mark.parametrize(
    ("tampering", "broken", "problem"),
    [
        ("UPDATE audit_log SET subject = 'someone-else' WHERE seq = 2", 2, "changed after it was written"),
        ("UPDATE audit_log SET record = 'ticket:other' WHERE seq = 3", 3, "changed after it was written"),
        ("DELETE FROM audit_log WHERE seq = 2", 3, "entries 2–2 are missing"),
        ("DELETE FROM audit_log WHERE seq = 4", 4, "newer entries are missing"),
    ],
)
async def test_verification_finds_a_rewritten_or_removed_entry(
    stack: Stack, tampering: str, broken: int, problem: str
) -> None:
    with in_call(CALL):
        for n in range(4):
            await change(stack, TicketAccepted(ticket_id=f"t{n}"))
    await _without_guards(stack, tampering)
    verification = await stack.verify()
    assert not verification.intact
    assert verification.first_broken_seq == broken
    assert problem in verification.problem


async def test_queries_filter_by_subject_record_time_and_page(stack: Stack) -> None:
    other = Call.of(Principal("op-2", frozenset({Role.HOTLINE_OPERATOR}), "510117"), METHOD, "203.0.113.8")
    for call, ticket in ((CALL, "t1"), (other, "t2"), (CALL, "t2")):
        with in_call(call):
            await change(stack, TicketDispatched(ticket_id=ticket))
    assert [e.seq for e in await stack.entries(subject="op-1")] == [1, 3]
    assert [e.subject for e in await stack.entries(record="ticket:t2")] == ["op-2", "op-1"]
    assert [e.seq for e in await stack.entries(after_seq=1, limit=1)] == [2]
    at = (await stack.entries())[0].at
    assert len(await stack.entries(since=at)) == 3
    assert await stack.entries(until=at) == []


@pytest.mark.postgres
async def test_concurrent_writers_never_fork_the_chain(stack: Stack) -> None:
    if stack.engine.dialect.name != "postgresql":
        pytest.skip("SQLite serialises writers anyway")

    async def writer(n: int) -> None:
        with in_call(CALL):
            await change(stack, TicketAccepted(ticket_id=f"t{n}"))

    await asyncio.gather(*(writer(n) for n in range(40)))
    verification = await stack.verify()
    assert (verification.intact, verification.entries, verification.head_seq) == (True, 40, 40)
    assert len({e.record for e in await stack.entries(limit=100)}) == 40


async def test_a_subject_longer_than_its_column_is_cut_and_the_change_still_commits(stack: Stack) -> None:
    long_subject = Principal("cgj:" + "李" * 300, frozenset({Role.HANDLING_UNIT}), "510117")
    with in_call(Call.of(long_subject, METHOD, "203.0.113.7")):
        await change(stack, TicketAccepted(ticket_id="t1"))
    (entry,) = await stack.entries()
    assert entry.subject == long_subject.subject[:200]
    assert (await stack.verify()).intact


@pytest.mark.postgres
async def test_a_check_while_entries_are_appended_finds_the_chain_intact(stack: Stack) -> None:
    if stack.engine.dialect.name != "postgresql":
        pytest.skip("SQLite serialises writers anyway")

    async def writer(n: int) -> None:
        with in_call(CALL):
            await change(stack, TicketAccepted(ticket_id=f"t{n}"))

    writing = asyncio.gather(*(writer(n) for n in range(30)))
    checks = [await stack.verify() for _ in range(5)]
    await writing
    assert all(check.intact for check in checks), [check.problem for check in checks]
    assert (await stack.verify()).entries == 30


def test_the_record_of_an_event_is_its_first_field_when_that_names_an_id() -> None:
    assert record_of(TicketAccepted(ticket_id="t1")) == "ticket:t1"
    assert record_of(StringValue(value="x")) == ""


async def test_the_cli_verifies_each_trail_and_fails_on_a_broken_one(
    stack: Stack, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    if stack.engine.dialect.name != "sqlite":
        pytest.skip("the PostgreSQL fixture isolates by schema, which a database URL cannot name")
    with in_call(CALL):
        await change(stack, TicketAccepted(ticket_id="t1"), TicketAccepted(ticket_id="t2"))
    monkeypatch.setenv("SUNSHINE_HOTLINE_DATABASE_URL", stack.engine.url.render_as_string(hide_password=False))
    monkeypatch.setattr(sys, "argv", ["sunshine-audit", "verify", "--service", "hotline"])

    async def verified() -> int:
        with pytest.raises(SystemExit) as exit_:
            await asyncio.to_thread(cli.main)
        return int(exit_.value.code or 0)

    assert await verified() == 0
    assert "hotline: 2 entries, chain intact; head 2 " in capsys.readouterr().out
    await _without_guards(stack, "UPDATE audit_log SET client_address = '10.9.9.9' WHERE seq = 1")
    assert await verified() == 1
    assert "hotline: BROKEN at entry 1: entry 1 was changed after it was written" in capsys.readouterr().out
