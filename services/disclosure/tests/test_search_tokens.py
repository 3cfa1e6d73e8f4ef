"""Tokens of the portable full-text index: character bigrams, brackets ignored, integer weights."""

from __future__ import annotations

import pytest
from disclosure.domain import search

NUMBERS = ["成办发〔2015〕28号", "成办发[2015]28号", "成办发［2015］28号", "成办发(2015)28号", "成办发（2015）28号"]


@pytest.mark.parametrize("typed", NUMBERS)
def test_document_numbers_give_the_same_tokens_whatever_the_brackets(typed: str) -> None:
    assert search.query_tokens(typed) == search.query_tokens("成办发〔2015〕28号")


def test_chinese_text_is_cut_into_bigrams_per_run() -> None:
    assert search.tokens("老旧小区，改造") == ["老旧", "旧小", "小区", "改造"]


def test_a_single_character_run_is_its_own_token() -> None:
    assert search.tokens("市 政府") == ["市", "政府"]


def test_full_width_letters_and_digits_match_ascii() -> None:
    assert search.tokens("ＰＭ２．５") == search.tokens("pm2.5") == ["pm", "m2", "5"]


def test_weights_favour_the_document_number_then_the_title_and_cap_repeats() -> None:
    weights = search.postings({"document_number": "成办发", "title": "办发通知", "body": "通知" * 10})
    assert weights["成办"] == 5
    assert weights["办发"] == 5 + 3
    assert weights["通知"] == 3 + 3  # title once, body capped at 3


def test_idf_is_higher_for_rarer_tokens_and_an_integer() -> None:
    assert search.idf(1000, 1) > search.idf(1000, 500) > 0
    assert isinstance(search.idf(1000, 10), int)


def test_an_entry_must_hold_half_of_the_query_tokens_rounded_up() -> None:
    assert [search.required_matches(n) for n in (1, 2, 3, 4, 7)] == [1, 1, 2, 2, 4]


def test_partial_candidates_come_from_the_rarest_tokens_that_every_partial_match_must_touch() -> None:
    tokens = search.query_tokens("老旧小区改造方案")  # 7 tokens: an entry needs 4
    frequency = {"老旧": 40, "旧小": 41, "小区": 90, "区改": 12, "改造": 300, "方案": 500}  # no entry holds 造方
    plan = search.QueryPlan(tuple(tokens), frequency, entries=1000)
    assert plan.known == ("区改", "老旧", "旧小", "小区", "改造", "方案")
    assert plan.essential == ("区改", "老旧", "旧小")  # holding none of them leaves at most 3 of the 7
    assert (plan.complete_possible, plan.partial_possible) == (False, True)


def test_a_single_token_query_has_no_partial_matches() -> None:
    plan = search.QueryPlan(("通知",), {"通知": 10}, entries=100)
    assert (plan.complete_possible, plan.partial_possible) == (True, False)
