"""Open311 GeoReport v2 at /open311/v2/: the shapes of the specification's examples, in JSON and XML."""

from __future__ import annotations

from xml.etree import ElementTree

import pytest
from hotline.adapters.tables import tickets
from sqlalchemy import update
from sqlalchemy.ext.asyncio import create_async_engine
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


# --- the specification's points, and the server errors the fuzzer found -------------------------------------


BAD_DATES = [
    "end_date=0001-01-01T00:00:00Z", "start_date=9999-12-31T23:59:59-12:00", "start_date=0001-01-01T00:00:00%2B01:00",
    "end_date=2026-01-01T00:00:00", "start_date=yesterday",
    "start_date=2026-01-01T00:00:00Z&end_date=2026-06-01T00:00:00Z",
    "start_date=2026-02-01T00:00:00Z&end_date=2026-01-01T00:00:00Z",
]  # fmt: skip


async def test_dates_out_of_range_or_badly_given_are_400s_naming_them(stack) -> None:  # type: ignore[no-untyped-def]
    for query in BAD_DATES:
        for fmt in ("json", "xml"):
            reply = await stack.http("GET", f"{V2}/requests.{fmt}?{query}")
            assert reply.status_code == 400, (query, reply.text)
            [(code, description)] = _errors(reply, fmt)
            assert code == 400 and ("start_date" in description or "end_date" in description), query


async def test_a_form_that_is_not_utf8_is_a_400(stack) -> None:  # type: ignore[no-untyped-def]
    for body in (b"service_code=sanitation&description=%FF%FE&address_string=x", b"description=\xff\xfe"):
        reply = await stack.http(
            "POST", f"{V2}/requests.json", content=body, headers={"Content-Type": "application/x-www-form-urlencoded"}
        )
        assert reply.status_code == 400 and "UTF-8" in reply.json()[0]["description"]


async def test_any_api_key_that_is_not_ours_is_a_403(stack) -> None:  # type: ignore[no-untyped-def]
    for key in ("ключ", "密钥", "\x00"):
        reply = await post(stack, api_key=key)
        assert reply.json() == [{"code": 403, "description": "api_key missing or not valid"}], key


@pytest.mark.parametrize(
    ("headers", "body"),
    [({"Content-Type": "multipart/form-data; boundary=b"}, b'--b\r\nContent-Disposition: form-data; name="api_key"'
      b"\r\n\r\nopen311-test-key\r\n--b--\r\n"),
     ({"Content-Type": "application/json"}, b'{"api_key": "open311-test-key"}')],
    ids=["multipart", "json"],
)  # fmt: skip
async def test_a_body_that_is_not_form_encoded_is_a_415_not_a_403(stack, headers, body) -> None:  # type: ignore[no-untyped-def]
    reply = await stack.http("POST", f"{V2}/requests.xml", content=body, headers=headers)
    assert reply.status_code == 415
    [(code, description)] = _errors(reply, "xml")
    assert code == 415 and "application/x-www-form-urlencoded" in description


async def test_discovery_names_this_endpoint_and_both_formats(stack) -> None:  # type: ignore[no-untyped-def]
    found = (await stack.http("GET", f"{V2}/discovery.json")).json()
    [endpoint] = found["endpoints"]
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint["url"] == "http://testserver/open311/v2"
    assert endpoint["formats"] == ["text/xml", "application/json"]
    assert found["contact"] and found["key_service"] and found["changeset"] == endpoint["changeset"]
    xml = ElementTree.fromstring((await stack.http("GET", f"{V2}/discovery.xml")).content)
    assert xml.tag == "discovery"
    assert [f.text for f in xml.findall("endpoints/endpoint/formats/format")] == endpoint["formats"]
    assert (await stack.http("GET", f"{V2}/discovery.html")).json()[0]["code"] == 400


async def test_a_control_character_never_breaks_the_xml_list(stack) -> None:  # type: ignore[no-untyped-def]
    [new] = (await post(stack, description="垃圾\x00\x07无人\x1b清运\r\n第二行")).json()
    [old] = (await post(stack, description="早先存入的描述")).json()
    await _store_raw_description(stack, old["token"], "早先\x01存入\x0c的描述")  # as stored before intake cleaned

    root = ElementTree.fromstring((await stack.http("GET", f"{V2}/requests.xml")).content)
    shown = {r.find("service_request_id").text: r.find("description").text for r in root}
    assert shown[new["service_request_id"]] == "垃圾无人清运\n第二行"
    assert shown[old["service_request_id"]] == "早先\ufffd存入\ufffd的描述"
    listed = (await stack.http("GET", f"{V2}/requests.json")).json()
    assert {r["description"] for r in listed} == {"垃圾无人清运\n第二行", "早先\x01存入\x0c的描述"}


async def test_the_description_is_optional_and_the_coordinates_and_media_come_back(stack) -> None:  # type: ignore[no-untyped-def]
    form = {
        "service_code": "sanitation",
        "lat": "30.6574",
        "long": "-104.0658",
        "media_url": "https://img.example.com/1.jpg",
    }
    reply = await stack.http("POST", f"{V2}/requests.json", data={**form, "api_key": API_KEY})
    assert reply.status_code == 200, reply.text
    number = reply.json()[0]["service_request_id"]
    [request] = (await stack.http("GET", f"{V2}/requests/{number}.json")).json()
    # The public sees the place as privacy.shown_to shows it: coordinates to about 100 m, the address masked.
    assert (request["lat"], request["long"], request["media_url"]) == (30.657, -104.066, form["media_url"])
    assert request["description"] == "" and request["address"] == "30.657" + "*" * len("4,-104.0658")
    xml = ElementTree.fromstring((await stack.http("GET", f"{V2}/requests/{number}.xml")).content)
    assert (xml.find("request/lat").text, xml.find("request/long").text) == ("30.657", "-104.066")


BAD_FIELDS = [
    ({"lat": "91", "long": "104"}, "lat"), ({"lat": "30", "long": "-180.5"}, "long"),
    ({"lat": "nan", "long": "1"}, "lat"), ({"lat": "north", "long": "104"}, "lat"), ({"lat": "30", "long": ""}, "long"),
    ({"media_url": "file:///etc/passwd"}, "media_url"), ({"email": "not-an-address"}, "email"),
    ({"attribute[WHISHETN]": "123"}, "attribute[WHISHETN]"), ({"description": "述" * 4001}, "description"),
]  # fmt: skip


async def test_bad_fields_are_400s_naming_the_spec_field(stack) -> None:  # type: ignore[no-untyped-def]
    for fields, named in BAD_FIELDS:
        reply = await post(stack, **fields)
        assert reply.status_code == 400, (fields, reply.text)
        assert any(error["description"].startswith(named) for error in reply.json()), reply.json()


async def test_the_email_is_kept_for_staff_and_never_listed(stack) -> None:  # type: ignore[no-untyped-def]
    [answer] = (await post(stack, email="zhang.san@example.com", first_name="三", last_name="张")).json()
    operator = as_staff(stack, "op-1", Role.HOTLINE_OPERATOR)
    ticket = (await stack.http("GET", f"{BASE}/{answer['token']}", headers=operator)).json()
    assert (ticket["caller"]["email"], ticket["caller"]["name"]) == ("zhang.san@example.com", "张 三")
    leader = (await stack.http("GET", f"{BASE}/{answer['token']}", headers=as_staff(stack, "l", Role.LEADER))).json()
    assert leader["caller"]["email"] == "z********@example.com"
    for fmt in ("json", "xml"):
        listed = await stack.http("GET", f"{V2}/requests.{fmt}")
        assert "zhang.san" not in listed.text and "example.com" not in listed.text


async def test_the_jurisdiction_is_this_stacks_division(stack) -> None:  # type: ignore[no-untyped-def]
    assert (await stack.http("GET", f"{V2}/services.json?jurisdiction_id=510100")).status_code == 200
    other = await stack.http("GET", f"{V2}/services.xml?jurisdiction_id=510104")
    assert other.status_code == 404 and "jurisdiction_id" in _errors(other, "xml")[0][1]
    assert (await post(stack, jurisdiction_id="510104")).status_code == 404


def test_the_openapi_describes_formats_parameters_and_errors(stack) -> None:  # type: ignore[no-untyped-def]
    paths = stack.gateway.get("/openapi.json").json()["paths"]
    listing = paths[f"{V2}/requests.{{fmt}}"]
    parameters = {p["name"]: p for p in listing["get"]["parameters"]}
    assert parameters["fmt"]["schema"]["enum"] == ["json", "xml"]
    filters = {"service_request_id", "service_code", "start_date", "end_date", "status", "jurisdiction_id"}
    assert filters <= set(parameters)
    form = listing["post"]["requestBody"]["content"]["application/x-www-form-urlencoded"]["schema"]["properties"]
    arguments = {
        "api_key",
        "service_code",
        "lat",
        "long",
        "address_string",
        "address_id",
        "email",
        "device_id",
        "account_id",
        "first_name",
        "last_name",
        "phone",
        "description",
        "media_url",
        "jurisdiction_id",
    }
    assert arguments <= set(form)
    assert (form["lat"]["anyOf"][0]["minimum"], form["long"]["anyOf"][0]["maximum"]) == (-90, 180)
    assert {"200", "400", "403", "404", "415"} <= set(listing["post"]["responses"])
    assert "422" not in listing["post"]["responses"] and "422" not in listing["get"]["responses"]
    assert f"{V2}/discovery.{{fmt}}" in paths


def _errors(reply, fmt: str) -> list[tuple[int, str]]:  # type: ignore[no-untyped-def]
    if fmt == "json":
        return [(e["code"], e["description"]) for e in reply.json()]
    root = ElementTree.fromstring(reply.content)
    assert root.tag == "errors"
    return [(int(e.find("code").text), e.find("description").text) for e in root]


async def _store_raw_description(stack, ticket_id: str, description: str) -> None:  # type: ignore[no-untyped-def]
    engine = create_async_engine(stack.settings.database_url("hotline"))
    try:
        async with engine.begin() as connection:
            await connection.execute(update(tickets).where(tickets.c.id == ticket_id).values(description=description))
    finally:
        await engine.dispose()


async def test_the_hotline_down_is_a_503_in_the_spec_format(stack) -> None:  # type: ignore[no-untyped-def]
    await stack.runtimes["hotline"].stop()
    for path in ("services.xml", "requests.xml"):
        reply = await stack.http("GET", f"{V2}/{path}")
        assert reply.status_code == 503
        [(code, _)] = _errors(reply, "xml")
        assert code == 503
