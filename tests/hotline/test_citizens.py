"""Citizens: filing without signing in, following by number and code, evaluating; duplicates and merging."""

from __future__ import annotations

from sunshine_kit.auth.principal import Role

from tests.hotline.conftest import as_staff
from tests.hotline.test_closed_loop import BASE, TICKET, step

PUBLIC = "/api/v1/hotline/public"
WEB_TICKET = {**TICKET, "channel": "web"}


async def test_a_citizen_files_follows_and_evaluates(stack) -> None:  # type: ignore[no-untyped-def]
    filed = await stack.http("POST", f"{PUBLIC}/tickets", json=WEB_TICKET)
    assert filed.status_code == 201, filed.text
    number, code = filed.json()["ticket"]["number"], filed.json()["code"]
    followed = await stack.http("POST", f"{PUBLIC}/follow", json={"number": number, "code": code})
    assert followed.json()["state"] == "受理" and "caller" not in followed.json()
    wrong = await stack.http("POST", f"{PUBLIC}/follow", json={"number": number, "code": "AAAAAAAA"})
    assert wrong.status_code == 404

    operator = as_staff(stack, "op-1", Role.HOTLINE_OPERATOR)
    [ticket] = (await stack.http("GET", BASE, headers=operator)).json()
    await step(stack, ticket["id"], operator, action="answer_directly", answer="已告知办理渠道")
    evaluated = await stack.http(
        "POST", f"{PUBLIC}/evaluate", json={"number": number, "code": code, "satisfaction": "SATISFIED"}
    )
    assert evaluated.status_code == 200, evaluated.text
    assert (evaluated.json()["state"], evaluated.json()["answer"]) == ("评价", "已告知办理渠道")
    history = (await stack.http("GET", f"{BASE}/{ticket['id']}", headers=operator)).json()["history"]
    assert history[-1]["actor"] == "citizen"


async def test_citizens_may_not_pretend_to_call_in(stack) -> None:  # type: ignore[no-untyped-def]
    reply = await stack.http("POST", f"{PUBLIC}/tickets", json=TICKET)
    assert reply.status_code == 400
    assert reply.json()["error"]["field_violations"][0]["field"] == "channel"


async def test_a_near_duplicate_is_flagged_merged_and_shares_the_outcome(stack) -> None:  # type: ignore[no-untyped-def]
    operator = as_staff(stack, "op-1", Role.HOTLINE_OPERATOR)
    first = (await stack.http("POST", BASE, json=TICKET, headers=operator)).json()
    again = {**WEB_TICKET, "caller": {}, "description": "小区门口的垃圾堆了三天都没人清运，味道很大"}
    filed = (await stack.http("POST", f"{PUBLIC}/tickets", json=again)).json()
    [second] = [t for t in (await stack.http("GET", BASE, headers=operator)).json() if t["id"] != first["id"]]
    assert second["duplicate_of"] == first["id"] and second["duplicate_score"] >= 0.5
    found = (await stack.http("GET", f"{BASE}/{second['id']}/duplicates", headers=operator)).json()
    assert found[0] == {"ticket_id": first["id"], "score": second["duplicate_score"], "reason": "similar_text"}

    merged = await step(stack, second["id"], operator, action="merge", primary_ticket_id=first["id"])
    assert merged.json()["state"] == "并单"
    await step(stack, first["id"], operator, action="answer_directly", answer="已通知清运")
    followed = await stack.http(
        "POST", f"{PUBLIC}/follow", json={"number": filed["ticket"]["number"], "code": filed["code"]}
    )
    assert (followed.json()["state"], followed.json()["answer"]) == ("办结", "已通知清运")


async def test_the_same_caller_is_flagged_whatever_they_call_about(stack) -> None:  # type: ignore[no-untyped-def]
    operator = as_staff(stack, "op-1", Role.HOTLINE_OPERATOR)
    first = (await stack.http("POST", BASE, json=TICKET, headers=operator)).json()
    other = {**TICKET, "topic": "交通管理", "place_division": "510105", "description": "路口红绿灯坏了"}
    second = (await stack.http("POST", BASE, json=other, headers=operator)).json()
    assert second["duplicate_of"] == first["id"]
    assert (await stack.http("GET", f"{BASE}/{second['id']}/duplicates", headers=operator)).json()[0][
        "reason"
    ] == "same_caller"
