"""Hotspots and the issue list (问题清单) through the gateway, on SQLite and PostgreSQL: China-time counting in SQL,
the spike flag, the unit's list as JSON and XLSX, and who may read them."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from urllib.parse import quote

from hotline.adapters.tables import tickets
from openpyxl import load_workbook
from sqlalchemy import update
from sunshine_kit.auth.principal import Role
from sunshine_kit.db import create_engine

from tests.hotline.conftest import as_staff

BASE = "/api/v1/hotline"
CALLER = {"name": "张三", "phone": "13800001234", "id_number": "510104199001011234"}
DAY = "2026-03-16"
LONG_AGO = datetime(2000, 1, 1, tzinfo=UTC)


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


async def accept(stack, topic: str, place: str, at: datetime, **extra: object) -> str:  # type: ignore[no-untyped-def]
    """A ticket accepted through the API, then moved to `at` (the service stamps the real time)."""
    body = {
        "category": "complaint",
        "topic": topic,
        "channel": "phone",
        "place_division": place,
        "address": "春熙路18号",
        "description": f"{topic}问题，请尽快处理",
        "caller": CALLER,
        **extra,
    }
    reply = await stack.http("POST", f"{BASE}/tickets", json=body, headers=as_staff(stack, "op", Role.HOTLINE_OPERATOR))
    assert reply.status_code == 201, reply.text
    ticket_id = reply.json()["id"]
    await change(stack, ticket_id, accepted_at=at)
    return ticket_id


async def change(stack, ticket_id: str, **columns: object) -> None:  # type: ignore[no-untyped-def]
    engine = create_engine(stack.settings.database_url("hotline"))
    try:
        async with engine.begin() as connection:
            await connection.execute(update(tickets).where(tickets.c.id == ticket_id).values(**columns))
    finally:
        await engine.dispose()


async def step(stack, ticket_id: str, headers: dict[str, str], **body: object) -> None:  # type: ignore[no-untyped-def]
    reply = await stack.http("POST", f"{BASE}/tickets/{ticket_id}/transitions", json=body, headers=headers)
    assert reply.status_code == 200, reply.text


async def test_hotspots_count_in_china_time_find_peaks_and_flag_a_spike(stack) -> None:  # type: ignore[no-untyped-def]
    for at in ["2026-03-16T01:30", "2026-03-16T01:40", "2026-03-16T01:50", "2026-03-16T06:10", "2026-03-16T06:20"]:
        await accept(stack, "环境卫生", "510104", utc(at))
    await accept(stack, "环境卫生", "510104", utc("2026-03-15T16:30"))  # 00:30 on the 16th in China
    await accept(stack, "交通管理", "510105", utc("2026-03-15T15:30"), category="inquiry")  # 23:30 on the 15th
    await accept(stack, "交通管理", "510105", utc("2026-03-16T01:00"), category="inquiry")
    leader = as_staff(stack, "ldr", Role.LEADER)

    reply = await stack.http("GET", f"{BASE}/hotspots?from=2026-03-15&to={DAY}", headers=leader)
    assert reply.status_code == 200, reply.text
    found = reply.json()
    assert [(d["topic"], d["place_division"], d["day"], d["count"]) for d in found["by_day"]] == [
        ("交通管理", "510105", "2026-03-15", 1),
        ("交通管理", "510105", DAY, 1),
        ("环境卫生", "510104", DAY, 6),
    ]
    assert [(h["topic"], h["hour"], h["count"]) for h in found["by_hour"]] == [
        ("交通管理", 9, 1),
        ("交通管理", 23, 1),
        ("环境卫生", 0, 1),
        ("环境卫生", 9, 3),
        ("环境卫生", 14, 2),
    ]
    totals = found["hourly_totals"]
    assert (len(totals), totals[0], totals[9], totals[14], totals[23], sum(totals)) == (24, 1, 4, 2, 1, 8)
    assert found["peak_hours"] == [9, 14, 0]
    assert [(s["topic"], s["place_division"], s["day"], s["count"]) for s in found["spikes"]] == [
        ("环境卫生", "510104", DAY, 6)
    ]
    assert found["spikes"][0]["threshold"] == 0.0
    assert found["parameters"] == {"baseline_days": 14, "k": 3.0, "min_count": 5, "peak_hours": 3}

    inquiries = (
        await stack.http("GET", f"{BASE}/hotspots?from={DAY}&to={DAY}&category=inquiry", headers=leader)
    ).json()
    assert [(d["topic"], d["count"]) for d in inquiries["by_day"]] == [("交通管理", 1)]
    assert inquiries["spikes"] == []


async def test_hotspots_are_for_staff_of_this_stack_and_readers_above(stack) -> None:  # type: ignore[no-untyped-def]
    path = f"{BASE}/hotspots?to={DAY}"
    allowed = [
        as_staff(stack, "op", Role.HOTLINE_OPERATOR),
        as_staff(stack, "ldr", Role.LEADER),
        as_staff(stack, "ev", Role.EVALUATOR),
        as_staff(stack, "ops", Role.STACK_OPERATOR),
        as_staff(stack, "province", Role.LEADER, division="510000"),
    ]
    for headers in allowed:
        assert (await stack.http("GET", path, headers=headers)).status_code == 200
    refused = [
        as_staff(stack, "cgj:li", Role.HANDLING_UNIT),
        as_staff(stack, "d", Role.DISCLOSURE_OFFICER),
        as_staff(stack, "province-op", Role.HOTLINE_OPERATOR, division="510000"),
        as_staff(stack, "other-city", Role.LEADER, division="510600"),
    ]
    for headers in refused:
        assert (await stack.http("GET", path, headers=headers)).status_code == 403
    assert (await stack.http("GET", path)).status_code == 401
    backwards = await stack.http("GET", f"{BASE}/hotspots?from={DAY}&to=2026-03-01", headers=allowed[1])
    assert backwards.status_code == 400


async def unit_tickets(stack) -> None:  # type: ignore[no-untyped-def]
    """cgj leads three 环境卫生 tickets (one closed, one overdue, one confidential) and one 市政设施; zjj one."""
    operator, unit = as_staff(stack, "op", Role.HOTLINE_OPERATOR), as_staff(stack, "cgj:li", Role.HANDLING_UNIT)
    in_period = utc("2026-03-10T02:00")
    said = {"description": "我是张三，电话13800001234，小区垃圾三天没人清运"}
    plain = await accept(stack, "环境卫生", "510104", in_period, **said)
    closed = await accept(stack, "环境卫生", "510104", utc("2026-03-09T02:00"))
    secret = await accept(stack, "环境卫生", "510104", in_period, confidential=True, description="保密的诉求内容")
    other_topic = await accept(stack, "市政设施", "510105", in_period)
    for ticket_id in (plain, closed, secret, other_topic):
        await step(stack, ticket_id, operator, action="dispatch", lead_unit="cgj")
    for action, who, extra in [
        ("sign", unit, {}),
        ("start", unit, {}),
        ("answer", unit, {"answer": "已清运"}),
        ("review", operator, {"approved": True}),
    ]:
        await step(stack, closed, who, action=action, **extra)
    await change(stack, plain, due_at=LONG_AGO)
    elsewhere = await accept(stack, "环境卫生", "510104", in_period)
    await step(stack, elsewhere, operator, action="dispatch", lead_unit="zjj")
    before = await accept(stack, "环境卫生", "510104", utc("2026-02-01T02:00"))
    await step(stack, before, operator, action="dispatch", lead_unit="cgj")


async def test_the_issue_list_groups_the_units_tickets_by_topic_without_caller_data(stack) -> None:  # type: ignore[no-untyped-def]
    await unit_tickets(stack)
    reply = await stack.http(
        "GET", f"{BASE}/issue-list?unit=cgj&from=2026-03-01&to=2026-03-31", headers=as_staff(stack, "ldr", Role.LEADER)
    )
    assert reply.status_code == 200, reply.text
    found = reply.json()
    assert (found["unit"], found["unit_name"], found["from_day"], found["to_day"]) == (
        "cgj",
        "市城市管理局（样例）",
        "2026-03-01",
        "2026-03-31",
    )
    assert (found["tickets"], found["open"], found["overdue"]) == (4, 3, 1)
    assert [(t["topic"], t["tickets"], t["open"], t["overdue"]) for t in found["topics"]] == [
        ("环境卫生", 3, 2, 1),
        ("市政设施", 1, 1, 0),
    ]
    assert found["topics"][0]["summaries"] == [
        "我是张*，电话138****1234，小区垃圾三天没人清运",
        "环境卫生问题，请尽快处理",
    ]
    assert "13800001234" not in reply.text and "张三" not in reply.text and "保密" not in reply.text


async def test_the_issue_list_exports_as_xlsx_with_chinese_headings_and_filename(stack) -> None:  # type: ignore[no-untyped-def]
    await unit_tickets(stack)
    reply = await stack.http(
        "GET",
        f"{BASE}/issue-list?unit=cgj&from=2026-03-01&to=2026-03-31&format=xlsx",
        headers=as_staff(stack, "cgj:li", Role.HANDLING_UNIT),
    )
    assert reply.status_code == 200, reply.text
    assert reply.headers["content-type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    filename = "市城市管理局（样例）问题清单_2026-03-01_2026-03-31.xlsx"
    assert f"filename*=UTF-8''{quote(filename)}" in reply.headers["content-disposition"]
    sheet = load_workbook(io.BytesIO(reply.content))["问题清单"]
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert rows[0][0] == "市城市管理局（样例）问题清单（2026-03-01至2026-03-31）"
    assert rows[1] == ["序号", "诉求主题", "工单数", "未办结", "超期", "典型诉求摘要"]
    assert rows[2][:5] == [1, "环境卫生", 3, 2, 1]
    assert rows[2][5].split("\n") == ["我是张*，电话138****1234，小区垃圾三天没人清运", "环境卫生问题，请尽快处理"]
    assert rows[3][:5] == [2, "市政设施", 1, 1, 0]
    assert rows[4][:5] == ["合计", None, 4, 3, 1]


async def test_a_unit_reads_only_its_own_issue_list_and_an_unknown_unit_is_not_found(stack) -> None:  # type: ignore[no-untyped-def]
    path = f"{BASE}/issue-list?to={DAY}&unit="
    own = as_staff(stack, "cgj:li", Role.HANDLING_UNIT)
    assert (await stack.http("GET", path + "cgj", headers=own)).status_code == 200
    assert (await stack.http("GET", path + "zjj", headers=own)).status_code == 403
    assert (
        await stack.http("GET", path + "cgj", headers=as_staff(stack, "d", Role.DISCLOSURE_OFFICER))
    ).status_code == 403
    evaluator = as_staff(stack, "ev", Role.EVALUATOR)
    assert (await stack.http("GET", path + "zjj", headers=evaluator)).status_code == 200
    assert (await stack.http("GET", path + "nope", headers=evaluator)).status_code == 404
