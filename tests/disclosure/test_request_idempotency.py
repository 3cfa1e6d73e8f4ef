"""SubmitRequest's idempotency key against the real database, SQLite and PostgreSQL: the same submission again is
the same request (one row, one event, a new code replacing the old), other content under the key is refused
naming it, the key is unique per stack and caller scope, and two submissions racing with one key make one request."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import pytest
from disclosure.adapters.tables import audit_head, audit_log, disclosure_requests, outbox
from disclosure.domain.applicants import Applicant, ApplicantType
from disclosure.domain.disclosure_request import DisclosureRequest, Intake
from disclosure.domain.submission_keys import staff_scope
from disclosure.main import MIGRATIONS
from disclosure.service.requests import RequestService
from disclosure.service.unit_of_work import DisclosureUnitOfWork
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine
from sunshine_kit.audit import AuditTrail
from sunshine_kit.auth import Principal, Role
from sunshine_kit.db import session_factory
from sunshine_kit.errors import NotFound, ValidationFailed
from sunshine_kit.identity import Level, StackIdentity
from sunshine_kit.migrations import upgrade_to_head
from sunshine_kit.outbox import Outbox
from sunshine_kit.runtime import utc_now
from sunshine_kit.working_days import WorkingDayCalendar

DIVISION = "510104"
KEY = "hotline-hand-over:5f0c4e1a-8b8e-4f7e-9d59-3b0f2a1c6d10"
OPERATOR = Principal("op-1", frozenset({Role.HOTLINE_OPERATOR}), DIVISION)
APPLICANT = Applicant(ApplicantType.NATURAL_PERSON, "王小红", "13987654321", "510104198805051234", "锦江区某路8号")
INTAKE = Intake(APPLICANT, "本小区垃圾清运合同及清运频次")


@pytest.fixture
async def service(db_engine: AsyncEngine) -> RequestService:
    await upgrade_to_head(db_engine, MIGRATIONS)
    identity = StackIdentity(Level.COUNTY, DIVISION, "锦江区")
    sessions = session_factory(db_engine)
    unit_of_work: Callable[[], DisclosureUnitOfWork] = lambda: DisclosureUnitOfWork(  # noqa: E731
        sessions, Outbox(outbox), AuditTrail(audit_log, audit_head), identity, "disclosure", lambda: None
    )
    return RequestService(unit_of_work, identity, WorkingDayCalendar(), utc_now)


async def _counts(engine: AsyncEngine) -> tuple[int, int]:
    """(requests stored, events queued) — every event is a row of the outbox, sent or not."""
    async with engine.connect() as connection:
        requests = (await connection.execute(select(func.count()).select_from(disclosure_requests))).scalar_one()
        events = (await connection.execute(select(func.count()).select_from(outbox))).scalar_one()
    return requests, events


async def test_the_same_submission_again_is_the_same_request_with_a_new_code(service, db_engine) -> None:  # type: ignore[no-untyped-def]
    first = await service.submit(INTAKE, KEY, OPERATOR)
    again = await service.submit(INTAKE, KEY, OPERATOR)
    assert (first.replayed, again.replayed) == (False, True)
    assert (again.request.id, again.request.number) == (first.request.id, first.request.number)
    assert await _counts(db_engine) == (1, 1)
    # Only the latest code follows the request: the first answer's code was lost with it, or is no longer good.
    assert (await service.follow(first.request.number, again.code)).id == first.request.id
    with pytest.raises(NotFound):
        await service.follow(first.request.number, first.code)


async def test_other_content_under_the_key_is_refused_naming_it(service, db_engine) -> None:  # type: ignore[no-untyped-def]
    first = await service.submit(INTAKE, KEY, OPERATOR)
    with pytest.raises(ValidationFailed) as refused:
        await service.submit(Intake(APPLICANT, "另一项政府信息"), KEY, OPERATOR)
    assert [v.field for v in refused.value.violations] == ["idempotency_key"]
    assert await _counts(db_engine) == (1, 1)
    assert (await service.follow(first.request.number, first.code)).id == first.request.id


async def test_the_same_key_in_another_scope_is_another_key(service, db_engine) -> None:  # type: ignore[no-untyped-def]
    # An anonymous caller who uses the hotline's key first makes its own request: it neither blocks the hand-over
    # nor learns that the key was used, and the hand-over with the key is the hotline's own (and replays as such).
    anonymous = await service.submit(Intake(APPLICANT, "抢先使用热线的幂等键"), KEY)
    other_stack_operator = Principal("op-9", frozenset({Role.HOTLINE_OPERATOR}), "510117")
    elsewhere = await service.submit(INTAKE, KEY, other_stack_operator)
    hand_over = await service.submit(INTAKE, KEY, OPERATOR)
    again = await service.submit(INTAKE, KEY, OPERATOR)
    assert [a.replayed for a in (anonymous, elsewhere, hand_over, again)] == [False, False, False, True]
    assert len({anonymous.request.id, elsewhere.request.id, hand_over.request.id}) == 3
    assert again.request.id == hand_over.request.id
    assert await _counts(db_engine) == (3, 3)
    assert (await service.follow(anonymous.request.number, anonymous.code)).id == anonymous.request.id
    assert (await service.submit(Intake(APPLICANT, "抢先使用热线的幂等键"), KEY)).request.id == anonymous.request.id


async def test_without_a_key_every_submission_is_a_new_request(service, db_engine) -> None:  # type: ignore[no-untyped-def]
    first, second = await service.submit(INTAKE), await service.submit(INTAKE)
    assert first.request.number != second.request.number
    assert await _counts(db_engine) == (2, 2)


async def test_the_key_is_unique_in_the_stacks_database(service, db_engine) -> None:  # type: ignore[no-untyped-def]
    await service.submit(INTAKE, KEY, OPERATOR)
    now = utc_now()
    twin, _code = DisclosureRequest.submit_online(INTAKE, DIVISION, now, now.date(), KEY, staff_scope(DIVISION))
    sessions = session_factory(db_engine)
    async with sessions() as session:
        with pytest.raises(IntegrityError):
            async with session.begin():
                await session.execute(disclosure_requests.insert().values(_row(twin)))


async def test_a_submission_that_loses_the_race_for_its_key_is_answered_as_the_replay(  # type: ignore[no-untyped-def]
    service, db_engine, monkeypatch
) -> None:
    first = await service.submit(INTAKE, KEY, OPERATOR)
    # The loser looked for the key before the winner committed: it saw nothing and inserts; the unique key refuses.
    from disclosure.adapters.request_repository import RequestRepository

    looked_up = RequestRepository.by_idempotency_key
    misses = [True]

    async def too_early(self, key: str):  # type: ignore[no-untyped-def]
        return None if misses and misses.pop() else await looked_up(self, key)

    monkeypatch.setattr(RequestRepository, "by_idempotency_key", too_early)
    again = await service.submit(INTAKE, KEY, OPERATOR)
    assert not misses
    assert (again.replayed, again.request.number) == (True, first.request.number)
    assert await _counts(db_engine) == (1, 1)


async def test_concurrent_submissions_with_one_key_make_one_request(service, db_engine) -> None:  # type: ignore[no-untyped-def]
    answers = await asyncio.gather(*(service.submit(INTAKE, KEY, OPERATOR) for _ in range(4)))
    assert len({a.request.number for a in answers}) == 1
    assert sorted(a.replayed for a in answers) == [False, True, True, True]
    assert await _counts(db_engine) == (1, 1)
    [latest] = [a for a in answers if (await _follows(service, a))]
    assert latest.request.number == answers[0].request.number


async def _follows(service: RequestService, answer) -> bool:  # type: ignore[no-untyped-def]
    try:
        await service.follow(answer.request.number, answer.code)
    except NotFound:
        return False
    return True


def _row(request: DisclosureRequest) -> dict:
    from disclosure.adapters.request_repository import _row_values

    return {**_row_values(request), "version": 1}
