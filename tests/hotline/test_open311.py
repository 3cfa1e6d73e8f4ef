"""Open311 GeoReport v2 at /open311/v2/: the shapes of the specification's examples, in JSON and XML."""

from __future__ import annotations

from xml.etree import ElementTree

import pytest
from sunshine_kit.auth.principal import Role

from tests.hotline.conftest import API_KEY, as_staff
from tests.hotline.test_closed_loop import BASE, TICKET, step

V2 = "/open311/v2"
# Field names of a service request in the specification's GET requests example.
REQUEST_FIELDS = {
    "service_request_id", "status", "status_notes", "service_name", "service_code", "description",
    "agency_responsible", "service_notice", "requested_datetime", "updated_datetime", "expected_datetime",
    "address", "address_id", "zipcode", "lat", "long", "media_url",
}  # fmt: skip
FORM = {
    "service_code": "sanitation",
    "address_string": "春熙路18号",
    "description": "垃圾无人清运",
    "phone": "13800001234",
}


async def post(stack, fmt: str = "json", **fields: str):  # type: ignore[no-untyped-def]
    return await stack.http("POST", f"{V2}/requests.{fmt}", data={**FORM, "api_key": API_KEY, **fields})


async def test_service_list_in_json_and_xml(stack) -> None:  # type: ignore[no-untyped-def]
    services = (await stack.http("GET", f"{V2}/services.json")).json()
    sanitation = next(s for s in services if s["service_code"] == "sanitation")
    assert sanitation == {
        "service_code": "sanitation",
        "service_name": "环境卫生",
        "description": "垃圾清运、道路保洁、公厕、卫生死角",
        "metadata": False,
        "type": "realtime",
        "keywords": "",
        "group": "城市管理",
    }
    xml = await stack.http("GET", f"{V2}/services.xml")
    assert xml.headers["content-type"].startswith("text/xml")
    root = ElementTree.fromstring(xml.content)
    assert root.tag == "services" and root[0].tag == "service"
    assert root.find("service[service_code='sanitation']/service_name").text == "环境卫生"


async def test_service_definition_and_unknown_service(stack) -> None:  # type: ignore[no-untyped-def]
    assert (await stack.http("GET", f"{V2}/services/sanitation.json")).json() == {
        "service_code": "sanitation",
        "attributes": [],
    }
    missing = await stack.http("GET", f"{V2}/services/nope.xml")
    assert missing.status_code == 404
    error = ElementTree.fromstring(missing.content)
    assert (error.tag, error[0].tag, error.find("error/code").text) == ("errors", "error", "404")


@pytest.mark.parametrize(
    ("fields", "status", "words"),
    [({"api_key": ""}, 403, "api_key"), ({"api_key": "wrong"}, 403, "api_key"),
     ({"service_code": ""}, 400, "service_code"), ({"address_string": ""}, 400, "location"),
     ({"service_code": "nope"}, 404, "nope")],
)  # fmt: skip
async def test_post_errors_are_an_array_of_code_and_description(stack, fields, status, words) -> None:  # type: ignore[no-untyped-def]
    reply = await post(stack, **fields)
    assert reply.status_code == status
    [error] = reply.json()
    assert error["code"] == status and words in error["description"]


async def test_post_then_get_the_request_and_its_token(stack) -> None:  # type: ignore[no-untyped-def]
    created = await post(stack)
    assert created.status_code == 200, created.text
    [answer] = created.json()
    assert set(answer) == {"service_request_id", "token", "service_notice", "account_id"}
    number = answer["service_request_id"]
    [request] = (await stack.http("GET", f"{V2}/requests/{number}.json")).json()
    assert set(request) == REQUEST_FIELDS
    assert (request["status"], request["service_code"], request["service_name"]) == ("open", "sanitation", "环境卫生")
    assert "13800001234" not in str(request)
    token = (await stack.http("GET", f"{V2}/tokens/{answer['token']}.json")).json()
    assert token == [{"service_request_id": number, "token": answer["token"]}]
    xml = ElementTree.fromstring((await stack.http("GET", f"{V2}/requests/{number}.xml")).content)
    assert (xml.tag, xml.find("request/service_request_id").text) == ("service_requests", number)


async def test_get_requests_filters_by_status_and_code_and_hides_other_channels(stack) -> None:  # type: ignore[no-untyped-def]
    operator = as_staff(stack, "op-1", Role.HOTLINE_OPERATOR)
    await stack.http("POST", BASE, json=TICKET, headers=operator)  # by phone: never listed
    [open_one] = (await post(stack)).json()
    [closed_one] = (await post(stack, service_code="traffic", description="红绿灯坏了")).json()
    await step(stack, closed_one["token"], operator, action="answer_directly", answer="已报修")

    async def ids(query: str) -> set[str]:
        return {r["service_request_id"] for r in (await stack.http("GET", f"{V2}/requests.json{query}")).json()}

    both = {open_one["service_request_id"], closed_one["service_request_id"]}
    assert await ids("") == both
    assert await ids("?status=open") == {open_one["service_request_id"]}
    assert await ids("?status=closed&service_code=traffic") == {closed_one["service_request_id"]}
    assert await ids(f"?service_request_id={open_one['service_request_id']}") == {open_one["service_request_id"]}
    assert await ids("?end_date=2010-01-01T00:00:00Z") == set()
    bad = await stack.http("GET", f"{V2}/requests.json?status=pending")
    assert bad.status_code == 400 and bad.json()[0]["code"] == 400


async def test_an_unknown_request_is_404(stack) -> None:  # type: ignore[no-untyped-def]
    reply = await stack.http("GET", f"{V2}/requests/0000.json")
    assert reply.status_code == 404 and reply.json()[0]["code"] == 404
