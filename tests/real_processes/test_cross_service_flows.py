"""Every flow that crosses services, through real processes started as `make run` starts them: the hotline
asks the disclosure service over gRPC for knowledge, for the documents it links to a ticket, to take a call
handed over, and for the applicant of a request redirected to it. In-process tests build the services inside a
running event loop; the console scripts build them before it starts, which is where a client made too early
breaks ("attached to a different loop")."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
import pytest_asyncio
from sunshine_kit.auth.principal import Role
from sunshine_kit.identity import Level
from sunshine_kit.testing.waiting import wait_until
from sunshine_localstack.hierarchy import Hierarchy, StackSpec

from tests.hotline.test_closed_loop import TICKET
from tests.real_processes.hierarchy import RunningHierarchy, running

pytestmark = [pytest.mark.nats, pytest.mark.asyncio(loop_scope="module"), pytest.mark.timeout(300)]

CITY = "510100"
TICKETS = "/api/v1/hotline/tickets"
DISCLOSURE = "/api/v1/disclosure"
ENTRY = {
    "title": "示例市城市生活垃圾分类管理办法（样例数据）",
    "issuing_organ": "示例市人民政府",
    "document_number": "示府发〔2026〕7号",
    "formed_on": "2026-11-20",
    "body": "生活垃圾应当按照可回收物、有害垃圾、厨余垃圾和其他垃圾分类投放。",
}
APPLICANT = {"type": "natural_person", "name": "王小红", "phone": "13987654321", "id_number": "510104198805051234"}


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def city(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[RunningHierarchy]:
    alone = Hierarchy(stacks=(StackSpec(CITY, Level.CITY, "示例市（样例数据）"),))
    async with running(alone, tmp_path_factory.mktemp("city")) as hierarchy:
        yield hierarchy


@pytest_asyncio.fixture(loop_scope="module")
async def gateway(city: RunningHierarchy) -> AsyncIterator[httpx.AsyncClient]:
    async with city.gateway(CITY) as client:
        yield client


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def entry(city: RunningHierarchy) -> dict:
    async with city.gateway(CITY) as gateway:
        published = await gateway.post(
            f"{DISCLOSURE}/catalogue", json=ENTRY, headers=city.token(CITY, Role.DISCLOSURE_OFFICER)
        )
    assert published.status_code == 201, published.text
    return published.json()


def operator(city: RunningHierarchy) -> dict[str, str]:
    return city.token(CITY, Role.HOTLINE_OPERATOR, subject="op-1")


async def accepted_ticket(city: RunningHierarchy, gateway: httpx.AsyncClient) -> dict:
    created = await gateway.post(TICKETS, json=TICKET, headers=operator(city))
    assert created.status_code == 201, created.text
    return created.json()


async def test_knowledge_search_finds_the_published_entry(
    city: RunningHierarchy, gateway: httpx.AsyncClient, entry: dict
) -> None:
    found = await gateway.get("/api/v1/hotline/knowledge", params={"q": "垃圾分类"}, headers=operator(city))

    assert found.status_code == 200, found.text
    assert [(d["entry_id"], d["document_number"]) for d in found.json()] == [(entry["id"], ENTRY["document_number"])]


async def test_linking_a_document_to_a_ticket_reads_it_from_the_catalogue(
    city: RunningHierarchy, gateway: httpx.AsyncClient, entry: dict
) -> None:
    ticket = await accepted_ticket(city, gateway)

    linked = await gateway.post(
        f"{TICKETS}/{ticket['id']}/documents", json={"entry_ids": [entry["id"]]}, headers=operator(city)
    )

    assert linked.status_code == 200, linked.text
    [document] = linked.json()["documents"]
    assert (document["entry_id"], document["title"], document["validity"]) == (entry["id"], ENTRY["title"], "现行有效")


async def test_a_call_handed_over_becomes_a_disclosure_request(
    city: RunningHierarchy, gateway: httpx.AsyncClient
) -> None:
    ticket = await accepted_ticket(city, gateway)
    sought = "本小区垃圾清运合同"

    handed = await gateway.post(
        f"{TICKETS}/{ticket['id']}/disclosure-handover",
        json={"caller_consents": True, "information_sought": sought},
        headers=operator(city),
    )

    assert handed.status_code == 200, handed.text
    number = handed.json()["request_number"]
    waiting = await gateway.get(
        f"{DISCLOSURE}/requests",
        params={"state": "awaiting_confirmation"},
        headers=city.token(CITY, Role.DISCLOSURE_OFFICER),
    )
    assert [r["description"] for r in waiting.json() if r["number"] == number] == [sought]


async def test_a_redirected_request_gets_its_applicant_contact(
    city: RunningHierarchy, gateway: httpx.AsyncClient
) -> None:
    officer = city.token(CITY, Role.DISCLOSURE_OFFICER)
    body = {
        "applicant": APPLICANT,
        "description": "反映小区垃圾长期无人清运",
        "channel": "in_person",
        "received_on": "2026-11-26",
    }
    received = await gateway.post(f"{DISCLOSURE}/requests/received", json=body, headers=officer)
    assert received.status_code == 201, received.text
    request_id = received.json()["request"]["id"]
    redirect = {"action": "redirect_complaint", "on": "2026-11-27", "reason": "属投诉，转12345"}
    acted = await gateway.post(f"{DISCLOSURE}/requests/{request_id}/actions", json=redirect, headers=officer)
    assert acted.status_code == 200, acted.text

    ticket: dict = {}

    async def contact_filled_in() -> bool:
        listed = await gateway.get(TICKETS, headers=operator(city))
        ticket.update(next((t for t in listed.json() if t["disclosure_request_id"] == request_id), {}))
        return bool(ticket.get("caller", {}).get("name"))

    await wait_until(contact_filled_in, within=60, interval=0.5)
    shown = (await gateway.get(f"{TICKETS}/{ticket['id']}", headers=operator(city))).json()
    assert shown["caller"] == {**{key: APPLICANT[key] for key in ("name", "phone", "id_number")}, "email": ""}
    assert (shown["history"][-1]["action"], shown["history"][-1]["actor_id"]) == ("record_applicant", "disclosure")
