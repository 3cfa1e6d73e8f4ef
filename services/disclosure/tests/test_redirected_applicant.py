"""GetRedirectedApplicantContact through a real gRPC server and its token guard: granted to this stack's hotline
service only (a service token), never to staff, and only for a request redirected to the hotline (Art. 39)."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from datetime import date, timedelta
from pathlib import Path

import grpc
import pytest
from disclosure.domain.disclosure_request import DisclosureRequest
from disclosure.entrypoints.grpc_servicer import SERVICE_NAME, DisclosureServicer
from disclosure.service.requests import RequestService
from sunshine.disclosure.v1 import disclosure_pb2 as pb
from sunshine.disclosure.v1 import disclosure_pb2_grpc
from sunshine_kit.auth import Role, bearer_metadata
from sunshine_kit.auth.dev_issuer import DevIssuer
from sunshine_kit.auth.settings import AuthSettings
from sunshine_kit.errors import ValidationFailed
from sunshine_kit.identity import Level, StackIdentity
from sunshine_kit.rpc.server import GrpcServer, Servicer

from .requests_fixtures import CALENDAR, DIVISION, ID_NUMBER, NAME, NOW, PHONE, TODAY, received

OTHER_DIVISION = "510117"
MINUTES_5 = timedelta(minutes=5)


class _Requests:
    def __init__(self, *requests: DisclosureRequest) -> None:
        self._by_id = {r.id: r for r in requests}

    async def get(self, request_id: str) -> DisclosureRequest | None:
        return self._by_id.get(request_id)


class _UnitOfWork:
    def __init__(self, requests: _Requests) -> None:
        self.requests = requests

    async def __aenter__(self) -> _UnitOfWork:
        return self

    async def __aexit__(self, *exc: object) -> None:
        return None

    def audited_read(self, what: str, record: str) -> None:
        """Recorded by the real unit of work at commit (tests/test_audit_trail.py checks it end to end)."""

    async def commit(self) -> None:
        return None


@pytest.fixture
def requests() -> dict[str, DisclosureRequest]:
    redirected = received(date(2026, 11, 25))
    redirected.redirect_as_complaint("属投诉，转12345", DIVISION, None, TODAY)
    answered = received(date(2026, 11, 25))
    answered.answer("1", "", None, TODAY, CALENDAR)
    # Answering 5.1 is refused (only the redirect closes a complaint), so this one is never redirected.
    answered_as_complaint = received(date(2026, 11, 25))
    with contextlib.suppress(ValidationFailed):
        answered_as_complaint.answer("5.1", "属投诉", None, TODAY, CALENDAR)
    return {
        "redirected": redirected,
        "answered": answered,
        "answered_as_complaint": answered_as_complaint,
        "pending": received(date(2026, 11, 25)),
    }


@pytest.fixture
def auth(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> AuthSettings:
    monkeypatch.setenv("SUNSHINE_AUTH_MODE", "dev")
    monkeypatch.setenv("SUNSHINE_AUTH_DEV_KEY_FILE", str(tmp_path / "dev" / "signing-key.pem"))
    return AuthSettings()


@pytest.fixture
async def stub(
    requests: dict[str, DisclosureRequest], auth: AuthSettings, tmp_path: Path
) -> AsyncIterator[disclosure_pb2_grpc.DisclosureServiceStub]:
    identity = StackIdentity(Level.COUNTY, DIVISION, "锦江区")
    service = RequestService(lambda: _UnitOfWork(_Requests(*requests.values())), identity, CALENDAR, lambda: NOW)  # type: ignore[arg-type, return-value]
    servicer = DisclosureServicer(None, service, None, None)  # type: ignore[arg-type]
    add = disclosure_pb2_grpc.add_DisclosureServiceServicer_to_server
    server = GrpcServer(
        "127.0.0.1:0", [Servicer(servicer, add, SERVICE_NAME)], auth.caller_verifier(DIVISION, tmp_path)
    )
    await server.start()
    try:
        async with grpc.aio.insecure_channel(f"127.0.0.1:{server.port}") as channel:
            yield disclosure_pb2_grpc.DisclosureServiceStub(channel)
    finally:
        await server.stop(0)


def service_token(auth: AuthSettings, data_dir: Path, service: str = "hotline", division: str = DIVISION) -> str:
    return auth.service_credentials(service, division, data_dir).metadata()[0][1].removeprefix("Bearer ")


async def contact(stub, request_id: str, token: str | None) -> pb.GetRedirectedApplicantContactResponse:  # type: ignore[no-untyped-def]
    metadata = bearer_metadata(token) if token else ()
    return await stub.GetRedirectedApplicantContact(
        pb.GetRedirectedApplicantContactRequest(id=request_id), metadata=metadata
    )


async def test_the_hotline_service_reads_the_contact_of_a_redirected_request(stub, requests, auth, tmp_path) -> None:  # type: ignore[no-untyped-def]
    reply = await contact(stub, requests["redirected"].id, service_token(auth, tmp_path))
    assert (reply.name, reply.phone, reply.id_number) == (NAME, PHONE, ID_NUMBER)


@pytest.mark.parametrize("role", list(Role))
async def test_no_staff_role_may_call_it(stub, requests, auth, role: Role) -> None:  # type: ignore[no-untyped-def]
    staff = DevIssuer(auth.dev_key_file, auth.expected_issuer, auth.audience).issue("张三", [role], DIVISION, MINUTES_5)
    with pytest.raises(grpc.aio.AioRpcError) as refused:
        await contact(stub, requests["redirected"].id, staff)
    assert refused.value.code() == grpc.StatusCode.PERMISSION_DENIED


async def test_an_anonymous_call_is_unauthenticated(stub, requests) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(grpc.aio.AioRpcError) as refused:
        await contact(stub, requests["redirected"].id, None)
    assert refused.value.code() == grpc.StatusCode.UNAUTHENTICATED


async def test_another_service_of_the_stack_is_refused(stub, requests, auth, tmp_path) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(grpc.aio.AioRpcError) as refused:
        await contact(stub, requests["redirected"].id, service_token(auth, tmp_path, "evaluation"))
    assert refused.value.code() == grpc.StatusCode.PERMISSION_DENIED
    assert "service:hotline of division 510104 only" in (refused.value.details() or "")


async def test_the_hotline_service_of_another_stack_is_refused(stub, requests, auth, tmp_path) -> None:  # type: ignore[no-untyped-def]
    # Its own key (its own data directory) and its own division: neither is this stack's.
    for data_dir, division in ((tmp_path / "county", OTHER_DIVISION), (tmp_path / "other", DIVISION)):
        with pytest.raises(grpc.aio.AioRpcError) as refused:
            await contact(stub, requests["redirected"].id, service_token(auth, data_dir, division=division))
        assert refused.value.code() == grpc.StatusCode.UNAUTHENTICATED


@pytest.mark.parametrize("which", ["answered", "answered_as_complaint", "pending"])
async def test_only_a_request_redirected_to_the_hotline(stub, requests, auth, tmp_path, which: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(grpc.aio.AioRpcError) as refused:
        await contact(stub, requests[which].id, service_token(auth, tmp_path))
    assert refused.value.code() == grpc.StatusCode.NOT_FOUND


async def test_an_unknown_request_is_not_found(stub, auth, tmp_path) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(grpc.aio.AioRpcError) as refused:
        await contact(stub, "no-such-request", service_token(auth, tmp_path))
    assert refused.value.code() == grpc.StatusCode.NOT_FOUND
