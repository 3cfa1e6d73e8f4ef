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
