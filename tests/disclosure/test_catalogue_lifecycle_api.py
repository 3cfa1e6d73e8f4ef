"""The catalogue lifecycle through the gateway, on SQLite and PostgreSQL: drafts stay private, revisions keep
the history, repealed entries stay public marked 已废止, interpretations link to their policy."""

from __future__ import annotations

from sunshine.events.v1 import disclosure_pb2 as events
from sunshine_kit.auth.principal import Role
from sunshine_kit.envelope import unpack

from tests.disclosure.helpers import events_of

API = "/api/v1/disclosure/catalogue"
POLICY = {
    "title": "锦江区老旧小区改造资金管理办法",
    "issuing_organ": "锦江区人民政府",
    "document_number": "锦府发〔2026〕1号",
    "formed_on": "2026-02-13",
    "body": "为加强老旧小区改造资金管理，制定本办法。",
    "force_level": "行政规范性文件",
    "summary": "规范改造资金的拨付与监督",
    "category": "城乡建设",
    "channels": ["website", "gazette"],
    "in_force_on": "2026-04-01",
    "attachments": [{"name": "附件1", "reference": "https://example.gov.cn/files/1.pdf"}],
}


async def _post(stack, path: str, body: object, status: int = 201) -> dict:  # type: ignore[no-untyped-def]
    reply = await stack.http("POST", path, json=body, headers=stack.token(Role.DISCLOSURE_OFFICER))
    assert reply.status_code == status, reply.text
    return reply.json()


async def _hits(stack, q: str, **params: str) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    reply = await stack.http("GET", API, params={"q": q, **params})
    assert reply.status_code == 200, reply.text
    return [(hit["entry_id"], hit["validity"]) for hit in reply.json()]


async def test_a_draft_is_private_until_published(stack) -> None:  # type: ignore[no-untyped-def]
    draft = await _post(stack, f"{API}/drafts", POLICY)
    assert (draft["state"], draft["version"], draft["published_at"], draft["due_on"]) == (
        "draft",
        0,
        None,
        "2026-03-19",
    )
    assert (await stack.http("GET", f"{API}/{draft['id']}")).status_code == 404
    assert (await stack.http("GET", f"{API}/{draft['id']}/history")).status_code == 404
    assert await _hits(stack, "老旧小区") == []
    listed = await stack.http("GET", f"{API}/drafts", headers=stack.token(Role.DISCLOSURE_OFFICER))
    assert [d["id"] for d in listed.json()] == [draft["id"]]

    published = await _post(stack, f"{API}/{draft['id']}/publication", None, 200)
    assert (published["state"], published["version"], published["validity"]) == ("published", 1, "现行有效")
    assert (published["late"], published["channels"], published["in_force_on"]) == (True, ["website", "gazette"],
                                                                                      "2026-04-01")  # fmt: skip
    public = (await stack.http("GET", f"{API}/{draft['id']}")).json()
    assert public["attachments"] == POLICY["attachments"] and public["summary"] == POLICY["summary"]
    assert await _hits(stack, "老旧小区") == [(draft["id"], "现行有效")]


async def test_revision_keeps_every_version_and_search_finds_the_current_text(stack, js) -> None:  # type: ignore[no-untyped-def]
    entry = await _post(stack, API, POLICY)
    revised = await _post(stack, f"{API}/{entry['id']}/revisions",
                          {**POLICY, "formed_on": "2026-09-30", "body": "修订后增加了加装电梯补助。"}, 200)  # fmt: skip
    assert (revised["version"], revised["due_on"], revised["validity"]) == (2, "2026-11-03", "现行有效")
    history = (await stack.http("GET", f"{API}/{entry['id']}/history")).json()
    assert [(v["version"], v["validity"], v["formed_on"]) for v in history] == [
        (1, "已修改", "2026-02-13"),
        (2, "现行有效", "2026-09-30"),
    ]
    assert history[0]["body"] == POLICY["body"]
    assert await _hits(stack, "加装电梯") == [(entry["id"], "现行有效")]
    assert await _hits(stack, "制定本办法") == []
    [stored] = await events_of(js, "sunshine.events.v1.CatalogueEntryRevised", 1)
    assert unpack(stored, events.CatalogueEntryRevised).version == 2


async def test_a_repealed_entry_stays_public_marked_and_counts_in_table_2(stack, js) -> None:  # type: ignore[no-untyped-def]
    entry = await _post(stack, API, POLICY)
    repealed = await _post(stack, f"{API}/{entry['id']}/repeal", {"repealed_on": "2026-10-09"}, 200)
    assert (repealed["state"], repealed["validity"], repealed["repealed_on"]) == ("repealed", "已废止", "2026-10-09")
    assert await _hits(stack, "老旧小区") == [(entry["id"], "已废止")]
    assert await _hits(stack, "老旧小区", validity="现行有效") == []
    history = (await stack.http("GET", f"{API}/{entry['id']}/history")).json()
    assert [v["validity"] for v in history] == ["已废止"]

    again = await stack.http(
        "POST", f"{API}/{entry['id']}/repeal", json={}, headers=stack.token(Role.DISCLOSURE_OFFICER)
    )
    assert again.status_code == 409 and again.json()["error"]["current_state"] == "repealed"
    revise = await stack.http("POST", f"{API}/{entry['id']}/revisions", json=POLICY,
                              headers=stack.token(Role.DISCLOSURE_OFFICER))  # fmt: skip
    assert revise.status_code == 409 and revise.json()["error"]["current_state"] == "repealed"

    report = await stack.http("GET", "/api/v1/disclosure/annual-reports/2026", headers=stack.token(Role.LEADER))
    assert report.json()["table2"]["rows"]["行政规范性文件"] == {
        "本年制发件数": 1,
        "本年废止件数": 1,
        "现行有效件数": 0,
    }
    [stored] = await events_of(js, "sunshine.events.v1.CatalogueEntryRepealed", 1)
    assert unpack(stored, events.CatalogueEntryRepealed).repealed_on == "2026-10-09"


async def test_interpretations_link_to_their_policy(stack, js) -> None:  # type: ignore[no-untyped-def]
    policy = await _post(stack, API, POLICY)
    first = await _post(stack, API, {**POLICY, "title": "图解：老旧小区改造资金管理办法", "force_level": "其他",
                                     "interprets": policy["id"]})  # fmt: skip
    second = await _post(stack, API, {**POLICY, "title": "政策问答", "force_level": "其他", "interprets": policy["id"]})
    listed = (await stack.http("GET", f"{API}/{policy['id']}/interpretations")).json()
    assert [(i["id"], i["interprets"]) for i in listed] == [(first["id"], policy["id"]), (second["id"], policy["id"])]
    linked = await events_of(js, "sunshine.events.v1.PolicyInterpretationLinked", 2)
    assert {unpack(e, events.PolicyInterpretationLinked).policy_id for e in linked} == {policy["id"]}

    of_interpretation = {**POLICY, "title": "解读的解读", "interprets": first["id"]}
    refused = await _post(stack, API, of_interpretation, 400)
    assert refused["error"]["field_violations"][0]["field"] == "interprets"
