"""Open311 as a third-party client sees it: the `georeport` package from PyPI against the gateway's own process.

The gateway runs as `sunshine-gateway` (its composition root and uvicorn, settings from the environment) on a
real port, in front of the stack's services running in this test. georeport 0.3.1 reads services, service
definitions and requests, in JSON and XML; it has no call to create a request or look up a token, so those go
through its own HTTP library (`requests`) as the specification describes them: a form-encoded POST and a GET.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator

import httpx
import pytest
import pytest_asyncio
import requests
import xmltodict
from georeport import GeoReport
from sunshine_kit.testing.nats_server import free_port
from sunshine_kit.testing.waiting import wait_until
from sunshine_localstack.stack import installed_command

from tests.hotline.conftest import API_KEY

FORM = {"service_code": "sanitation", "lat": "30.6574", "long": "104.0658", "description": "垃圾无人清运"}


@pytest_asyncio.fixture
async def open311_root(stack) -> AsyncIterator[str]:  # type: ignore[no-untyped-def]
    """The gateway process for the in-test stack; its environment carries the stack's addresses and Open311 keys."""
    address = f"127.0.0.1:{free_port()}"
    settings = stack.settings
    environment = {
        **os.environ,
        "SUNSHINE_DIVISION": settings.division,
        "SUNSHINE_NATS_URL": settings.nats_url,
        "SUNSHINE_DISCLOSURE_GRPC_ADDR": settings.disclosure_grpc_addr,
        "SUNSHINE_HOTLINE_GRPC_ADDR": settings.hotline_grpc_addr,
        "SUNSHINE_EVALUATION_GRPC_ADDR": settings.evaluation_grpc_addr,
        "SUNSHINE_GATEWAY_HTTP_ADDR": address,
    }
    process = await asyncio.create_subprocess_exec(installed_command("sunshine-gateway"), env=environment)
    try:
        async with httpx.AsyncClient() as client:
            await wait_until(lambda: _ready(client, f"http://{address}"), within=60)
        yield f"http://{address}/open311/v2"
    finally:
        process.terminate()
        await asyncio.wait_for(process.wait(), timeout=30)


async def _ready(client: httpx.AsyncClient, base: str) -> bool:
    try:
        return (await client.get(f"{base}/readyz")).status_code == 200
    except httpx.TransportError:
        return False


def _post(root: str, fmt: str, **fields: str) -> requests.Response:
    return requests.post(f"{root}/requests.{fmt}", data={**FORM, "api_key": API_KEY, **fields}, timeout=30)


def _session(root: str, fmt: str) -> dict[str, object]:
    """What a client does in one format: services, a definition, a POST, the token, the request, the list."""
    client = GeoReport(root, api_key=API_KEY, output_format=fmt)
    services = client.get_service_list()
    definition = client.get_service_definition("sanitation")
    created = _post(root, fmt, description=f"{fmt} 客户端：垃圾无人清运")
    created.raise_for_status()
    answer = created.json()[0] if fmt == "json" else _xml_item(created)
    token = requests.get(f"{root}/tokens/{answer['token']}.{fmt}", timeout=30)
    token.raise_for_status()
    number = answer["service_request_id"]
    return {
        "services": services,
        "definition": definition,
        "answer": answer,
        "token": token.json()[0] if fmt == "json" else _xml_item(token),
        "one": client.get_service_request(number),
        "listed": client.get_service_requests(service_code="sanitation", status="open"),
        "by_id": client.get_service_requests(service_request_id=number),
    }


def _xml_item(response: requests.Response) -> dict[str, str]:
    return xmltodict.parse(response.content)["service_requests"]["request"]


@pytest.mark.parametrize("fmt", ["json", "xml"])
async def test_georeport_lists_posts_follows_and_reads_back(stack, open311_root: str, fmt: str) -> None:  # type: ignore[no-untyped-def]
    seen = await asyncio.to_thread(_session, open311_root, fmt)

    sanitation = next(s for s in seen["services"] if s["service_code"] == "sanitation")
    assert (sanitation["service_name"], sanitation["group"]) == ("环境卫生", "城市管理")
    assert str(sanitation["metadata"]).lower() == "false"
    assert seen["definition"]["service_code"] == "sanitation"
    number, token = seen["answer"]["service_request_id"], seen["answer"]["token"]
    assert number in seen["answer"]["service_notice"]
    assert (seen["token"]["service_request_id"], seen["token"]["token"]) == (number, token)
    one = seen["one"]
    assert (one["service_request_id"], one["status"], one["service_code"]) == (number, "open", "sanitation")
    assert one["description"] == f"{fmt} 客户端：垃圾无人清运"
    assert (float(one["lat"]), float(one["long"])) == (30.657, 104.066)  # shown to the public to about 100 m
    listed = seen["listed"] if isinstance(seen["listed"], list) else [seen["listed"]]
    assert number in {r["service_request_id"] for r in listed}
    by_id = seen["by_id"] if isinstance(seen["by_id"], list) else [seen["by_id"]]
    assert [r["service_request_id"] for r in by_id] == [number]


async def test_the_gateway_process_takes_its_keys_from_the_environment(open311_root: str) -> None:
    accepted = await asyncio.to_thread(_post, open311_root, "json")
    refused = await asyncio.to_thread(_post, open311_root, "json", api_key="not-" + API_KEY)
    assert accepted.status_code == 200, accepted.text
    assert refused.status_code == 403 and refused.json()[0]["code"] == 403
