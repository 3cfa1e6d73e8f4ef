"""Drafts through the gateway, on SQLite and PostgreSQL: edited in place until published, or withdrawn (撤回) —
kept for staff, never public — with their events."""

from __future__ import annotations

from sunshine.events.v1 import disclosure_pb2 as events
from sunshine_kit.auth.principal import Role
from sunshine_kit.envelope import unpack

from tests.disclosure.helpers import events_of
from tests.disclosure.test_catalogue_lifecycle_api import API, POLICY, _hits, _post


async def _put(stack, path: str, body: object, status: int = 200) -> dict:  # type: ignore[no-untyped-def]
    reply = await stack.http("PUT", path, json=body, headers=stack.token(Role.DISCLOSURE_OFFICER))
    assert reply.status_code == status, reply.text
    return reply.json()


async def _drafts(stack, **params: str) -> list[str]:  # type: ignore[no-untyped-def]
    reply = await stack.http("GET", f"{API}/drafts", params=params, headers=stack.token(Role.DISCLOSURE_OFFICER))
    return [entry["id"] for entry in reply.json()]


async def test_a_draft_is_edited_in_place_then_published_as_edited(stack, js) -> None:  # type: ignore[no-untyped-def]
    draft = await _post(stack, f"{API}/drafts", POLICY)
    edited = await _put(stack, f"{API}/drafts/{draft['id']}", {**POLICY, "title": "锦江区老旧小区改造资金使用办法",
                                                                "formed_on": "2026-02-26"})  # fmt: skip
    assert (edited["state"], edited["version"], edited["title"], edited["due_on"]) == (
        "draft",
        0,
        "锦江区老旧小区改造资金使用办法",
        "2026-03-25",
    )
    assert edited["index_number"] == draft["index_number"]
    assert (await stack.http("GET", f"{API}/{draft['id']}")).status_code == 404
    assert await _hits(stack, "使用办法") == []

    blank = await _put(stack, f"{API}/drafts/{draft['id']}", {**POLICY, "title": " "}, 400)
    assert [v["field"] for v in blank["error"]["field_violations"]] == ["title"]

    await _post(stack, f"{API}/{draft['id']}/publication", None, 200)
    assert await _hits(stack, "使用办法") == [(draft["id"], "现行有效")]
    refused = await _put(stack, f"{API}/drafts/{draft['id']}", POLICY, 409)
    assert refused["error"]["current_state"] == "published"

    [edit_event] = await events_of(js, "sunshine.events.v1.CatalogueDraftEdited", 1)
    payload = unpack(edit_event, events.CatalogueDraftEdited)
    assert (payload.entry_id, payload.formed_on, payload.due_on) == (draft["id"], "2026-02-26", "2026-03-25")


async def test_a_withdrawn_draft_is_kept_for_staff_and_never_public(stack, js) -> None:  # type: ignore[no-untyped-def]
    draft = await _post(stack, f"{API}/drafts", POLICY)
    kept = await _post(stack, f"{API}/drafts", {**POLICY, "title": "另一草稿"})
    nothing = await _post(stack, f"{API}/drafts/{draft['id']}/withdrawal", {"reason": " "}, 400)
    assert [v["field"] for v in nothing["error"]["field_violations"]] == ["reason"]

    withdrawn = await _post(stack, f"{API}/drafts/{draft['id']}/withdrawal", {"reason": "政策调整，不再发布"}, 200)
    assert (withdrawn["state"], withdrawn["withdrawal_reason"], withdrawn["validity"]) == (
        "withdrawn",
        "政策调整，不再发布",
        "",
    )
    assert withdrawn["withdrawn_on"]
    assert await _drafts(stack) == [kept["id"]]
    assert await _drafts(stack, withdrawn="true") == [draft["id"]]
    for path in (f"{API}/{draft['id']}", f"{API}/{draft['id']}/history"):
        assert (await stack.http("GET", path)).status_code == 404
    assert await _hits(stack, "老旧小区") == []
    for path, body in ((f"{API}/{draft['id']}/publication", None), (f"{API}/drafts/{draft['id']}/withdrawal",
                                                                   {"reason": "再撤"})):  # fmt: skip
        again = await _post(stack, path, body, 409)
        assert again["error"]["current_state"] == "withdrawn"

    [event] = await events_of(js, "sunshine.events.v1.CatalogueDraftWithdrawn", 1)
    assert unpack(event, events.CatalogueDraftWithdrawn).entry_id == draft["id"]
