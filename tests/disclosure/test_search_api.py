"""Public search over a small Chinese corpus, on SQLite and on PostgreSQL (the same expectations for both)."""

from __future__ import annotations

import pytest
from sunshine_kit.auth.principal import Role

from tests.disclosure.search_corpus import CORPUS

API = "/api/v1/disclosure/catalogue"


@pytest.fixture
async def corpus(stack):  # type: ignore[no-untyped-def]
    officer = stack.token(Role.DISCLOSURE_OFFICER)
    for entry in CORPUS:
        reply = await stack.http("POST", API, json=entry, headers=officer)
        assert reply.status_code == 201, reply.text
    return stack


async def _titles(stack, **params: str) -> list[str]:  # type: ignore[no-untyped-def]
    reply = await stack.http("GET", API, params=params)
    assert reply.status_code == 200, reply.text
    return [hit["title"] for hit in reply.json()]


async def test_search_ranks_title_matches_above_body_matches(corpus) -> None:  # type: ignore[no-untyped-def]
    assert await _titles(corpus, q="老旧小区改造") == [
        "锦江区老旧小区改造资金管理办法",  # in the title, newer
        "关于印发《成都市老旧小区改造实施方案》的通知",  # in the title, and the body again
        "成都市2025年财政预算执行情况",  # only in the body
    ]


@pytest.mark.parametrize("typed", ["成办发〔2015〕28号", "成办发[2015]28号", "成办发［2015］28号", "成办发(2015)28号"])
async def test_document_numbers_match_whatever_brackets_are_typed(corpus, typed: str) -> None:  # type: ignore[no-untyped-def]
    assert (await _titles(corpus, q=typed))[0] == "关于印发《成都市老旧小区改造实施方案》的通知"


async def test_filters_narrow_the_results(corpus) -> None:  # type: ignore[no-untyped-def]
    assert await _titles(corpus, q="老旧小区", key_area="保障性住房", formed_from="2026-01-01") == [
        "锦江区老旧小区改造资金管理办法"
    ]
    assert await _titles(corpus, q="采购", issuing_organ="成都市财政局") == ["关于进一步规范政府采购行为的通知"]
    assert await _titles(corpus, q="采购", issuing_organ="锦江区人民政府") == []
    assert len(await _titles(corpus, q="成都", validity="现行有效")) == 3


async def test_no_match_and_an_empty_query(corpus) -> None:  # type: ignore[no-untyped-def]
    assert await _titles(corpus, q="宅基地审核") == []
    reply = await corpus.http("GET", API, params={"q": " "})
    assert reply.status_code == 400


async def test_a_natural_phrasing_finds_a_partial_match_marked_as_such(corpus) -> None:  # type: ignore[no-untyped-def]
    reply = await corpus.http("GET", API, params={"q": "改造方案"})
    assert [(hit["title"], hit["partial"]) for hit in reply.json()] == [
        ("关于印发《成都市老旧小区改造实施方案》的通知", True)  # 改造 and 方案, not the pair 造方
    ]
    complete = await corpus.http("GET", API, params={"q": "老旧小区改造"})
    assert {hit["partial"] for hit in complete.json()} == {False}
