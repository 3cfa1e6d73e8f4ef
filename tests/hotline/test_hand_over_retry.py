"""A hand-over retried after the disclosure service committed the request: the hotline never got the answer (the
reply was lost) or its own transaction failed after the call. The retry carries the ticket's idempotency key,
so the stack ends with exactly one disclosure request, one submission event, and the ticket closed naming it;
the code the caller is told (the retry's) follows the request, the lost one does not. Through the gateway with
the whole stack in this process; the hotline on SQLite and on PostgreSQL."""

from __future__ import annotations

import pytest
from hotline.adapters.disclosure_client import HAND_OVER_UNAVAILABLE, DisclosureClient, SubmittedRequest
from hotline.service import hand_over as hand_over_module
from sqlalchemy import func, select
from sunshine.events.v1.envelope_pb2 import Envelope
from sunshine_kit.auth.principal import Role
from sunshine_kit.db import create_engine
from sunshine_kit.errors import DependencyUnavailable

from tests.hotline.conftest import as_staff
from tests.hotline.test_closed_loop import BASE
from tests.hotline.test_knowledge_and_routing import DISCLOSURE, _accepted

SOUGHT = "本小区垃圾清运合同及清运频次"
SUBMITTED = "sunshine.events.v1.DisclosureRequestSubmitted"


class _ReplyLost:
    """Disclosure commits the request; the hotline sees the call fail as if the answer never came back."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.lost: list[SubmittedRequest] = []
        submit = DisclosureClient.submit_request

        async def submit_once_lost(client, application, metadata):  # type: ignore[no-untyped-def]
            submitted = await submit(client, application, metadata)
            if not self.lost:
                self.lost.append(submitted)
                raise DependencyUnavailable(HAND_OVER_UNAVAILABLE)
            return submitted

        monkeypatch.setattr(DisclosureClient, "submit_request", submit_once_lost)


class _CloseFails(_ReplyLost):
    """The answer arrives; the ticket's own transaction then fails once (nothing of it is committed)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.lost = []
        submit, close = DisclosureClient.submit_request, hand_over_module.hand_over

        async def submit_seen(client, application, metadata):  # type: ignore[no-untyped-def]
            submitted = await submit(client, application, metadata)
            self.lost.append(submitted)
            return submitted

        def close_once_failing(ticket, *args):  # type: ignore[no-untyped-def]
            if len(self.lost) == 1:
                # a failure the gateway answers (503); an unexpected one (500) rolls back the same way
                raise DependencyUnavailable("the hotline's transaction failed after the submission")
            return close(ticket, *args)

        monkeypatch.setattr(DisclosureClient, "submit_request", submit_seen)
        monkeypatch.setattr(hand_over_module, "hand_over", close_once_failing)


@pytest.mark.parametrize("failure", [_ReplyLost, _CloseFails], ids=["reply lost", "close fails"])
async def test_a_retried_hand_over_ends_with_one_request_and_the_ticket_naming_it(stack, monkeypatch, failure) -> None:  # type: ignore[no-untyped-def]
    operator = as_staff(stack, "op-1", Role.HOTLINE_OPERATOR)
    ticket = await _accepted(stack, operator)
    path, body = f"{BASE}/{ticket['id']}/disclosure-handover", {"caller_consents": True, "information_sought": SOUGHT}
    fault = failure(monkeypatch)

    failed = await stack.http("POST", path, json=body, headers=operator)
    assert failed.status_code != 200, failed.text
    [first] = fault.lost
    assert await _state(stack, operator, ticket["id"]) == "受理"
    assert await _submitted(stack) == (1, 1)  # disclosure committed it

    # A retry with other details cannot take the key for another request.
    other = await stack.http("POST", path, json={**body, "information_sought": "别的信息"}, headers=operator)
    assert other.status_code == 400, other.text
    assert [v["field"] for v in other.json()["error"]["field_violations"]] == ["idempotency_key"]
    assert await _state(stack, operator, ticket["id"]) == "受理"

    retried = await stack.http("POST", path, json=body, headers=operator)
    assert retried.status_code == 200, retried.text
    handed = retried.json()
    assert handed["request_number"] == first.number
    assert (handed["ticket"]["state"], handed["ticket"]["disclosure_request_number"]) == ("办结", first.number)
    assert await _submitted(stack) == (1, 1)

    officer = stack.token(Role.DISCLOSURE_OFFICER)
    listed = await stack.http("GET", f"{DISCLOSURE}/requests", headers=officer)
    assert [(r["number"], r["description"]) for r in listed.json()] == [(first.number, SOUGHT)]
    follow = f"{DISCLOSURE}/requests/follow"
    told = {"number": first.number, "secret_code": handed["secret_code"]}
    assert (await stack.http("POST", follow, json=told)).status_code == 200
    if first.secret_code != handed["secret_code"]:
        stale = {"number": first.number, "secret_code": first.secret_code}
        assert (await stack.http("POST", follow, json=stale)).status_code == 404


async def _state(stack, operator: dict[str, str], ticket_id: str) -> str:  # type: ignore[no-untyped-def]
    return (await stack.http("GET", f"{BASE}/{ticket_id}", headers=operator)).json()["state"]


async def _submitted(stack) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    """(disclosure requests stored, DisclosureRequestSubmitted events queued) in the disclosure database."""
    from disclosure.adapters.tables import disclosure_requests, outbox

    engine = create_engine(stack.settings.database_url("disclosure"))
    try:
        async with engine.connect() as connection:
            requests = (await connection.execute(select(func.count()).select_from(disclosure_requests))).scalar_one()
            envelopes = (await connection.execute(select(outbox.c.envelope))).scalars()
            events = sum(Envelope.FromString(e).type == SUBMITTED for e in envelopes)
    finally:
        await engine.dispose()
    return requests, events
