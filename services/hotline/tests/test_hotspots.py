"""Hotspots on crafted series: China-time buckets, peak hours, the spike rule and its minimum volume; issue-list
summaries without caller data."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from hotline.domain.caller import Caller
from hotline.domain.hotspots import Bucket, Period, SpikeRule, days_needed, hotspots, peak_hours
from hotline.domain.issue_list import SUMMARY_LENGTH, summary
from sunshine_kit.errors import ValidationFailed

DAY = date(2026, 3, 16)
RULE = SpikeRule(baseline_days=7, k=2.0, min_count=5)


def series(counts: list[int], topic: str = "环境卫生", place: str = "510104", hour: int = 10) -> list[Bucket]:
    """One bucket per day ending on DAY, oldest first."""
    first = DAY - timedelta(days=len(counts) - 1)
    return [Bucket(topic, place, first + timedelta(days=n), hour, c) for n, c in enumerate(counts) if c]


def spikes_of(buckets: list[Bucket], rule: SpikeRule = RULE):  # type: ignore[no-untyped-def]
    return hotspots(buckets, Period(DAY, DAY), rule, 3).spikes


@pytest.mark.parametrize(
    ("accepted_at", "day", "hour"),
    [
        (datetime(2026, 3, 1, 15, 59, tzinfo=UTC), date(2026, 3, 1), 23),
        (datetime(2026, 3, 1, 16, 0, tzinfo=UTC), date(2026, 3, 2), 0),
        (datetime(2026, 3, 1, 23, 30, tzinfo=UTC), date(2026, 3, 2), 7),
        (datetime(2026, 3, 2, 0, 30, tzinfo=UTC), date(2026, 3, 2), 8),
    ],
)
def test_a_ticket_is_counted_on_its_china_day_and_hour(accepted_at: datetime, day: date, hour: int) -> None:
    bucket = Bucket.of("环境卫生", "510104", accepted_at)
    assert (bucket.day, bucket.hour, bucket.count) == (day, hour, 1)


def test_peak_hours_are_the_busiest_hours_earlier_first_on_ties_and_never_empty_ones() -> None:
    totals = [0] * 24
    totals[9], totals[10], totals[14], totals[15], totals[3] = 8, 12, 8, 5, 1
    assert peak_hours(totals, 3) == [10, 9, 14]
    assert peak_hours([0] * 23 + [2], 3) == [23]


def test_counts_by_hour_and_day_cover_only_the_period_while_the_baseline_reaches_back() -> None:
    buckets = [*series([4, 0, 0, 0, 0, 0, 0, 0]), Bucket("交通管理", "510105", DAY, 9, 2)]
    found = hotspots(buckets, Period(DAY - timedelta(days=1), DAY), RULE, 3)
    assert found.by_day == {("交通管理", "510105", DAY): 2}
    assert found.by_hour == {("交通管理", "510105", 9): 2}
    assert (found.hourly_totals[9], sum(found.hourly_totals), found.peak_hours) == (2, 2, [9])
    assert days_needed(Period(DAY - timedelta(days=1), DAY), RULE) == Period(DAY - timedelta(days=7), DAY)


def test_a_day_far_above_a_steady_baseline_is_a_spike_with_its_numbers() -> None:
    [spike] = spikes_of(series([2, 3, 2, 3, 2, 3, 2, 12]))
    assert (spike.topic, spike.place_division, spike.day, spike.count) == ("环境卫生", "510104", DAY, 12)
    assert spike.baseline_mean == pytest.approx(17 / 7)
    assert spike.threshold == pytest.approx(spike.baseline_mean + 2.0 * spike.baseline_stddev)


def test_a_day_within_a_noisy_baseline_is_not_a_spike() -> None:
    assert spikes_of(series([0, 9, 1, 8, 0, 10, 2, 9])) == []


def test_the_count_must_exceed_the_threshold_not_just_reach_it() -> None:
    steady = series([5, 5, 5, 5, 5, 5, 5, 5])  # stddev 0: threshold 5
    assert spikes_of(steady) == []
    assert len(spikes_of(series([5, 5, 5, 5, 5, 5, 5, 6]))) == 1


def test_a_small_count_over_a_quiet_baseline_is_not_a_spike_below_the_minimum_volume() -> None:
    assert spikes_of(series([0, 0, 0, 0, 0, 0, 0, 4])) == []
    assert [s.count for s in spikes_of(series([0, 0, 0, 0, 0, 0, 0, 5]))] == [5]
    assert [s.count for s in spikes_of(series([0, 0, 0, 0, 0, 0, 0, 1]), SpikeRule(7, 2.0, 1))] == [1]


def test_days_before_the_baseline_window_do_not_count() -> None:
    # 20 a day long ago would hide today's 8 if the window reached back that far.
    assert len(spikes_of(series([20, 20, 20, 0, 0, 0, 0, 0, 0, 0, 8]))) == 1


def test_each_topic_at_each_place_has_its_own_baseline() -> None:
    busy_elsewhere = series([9, 9, 9, 9, 9, 9, 9, 9], place="510105")
    found = spikes_of([*busy_elsewhere, *series([0, 0, 0, 0, 0, 0, 0, 6])])
    assert [(s.place_division, s.count) for s in found] == [("510104", 6)]


def test_a_period_defaults_to_days_ending_today_and_refuses_backwards_or_overlong_spans() -> None:
    assert Period.asked(None, None, DAY, 7) == Period(DAY - timedelta(days=6), DAY)
    assert Period.asked(None, date(2026, 3, 1), DAY, 30) == Period(date(2026, 1, 31), date(2026, 3, 1))
    with pytest.raises(ValidationFailed):
        Period.asked(DAY, DAY - timedelta(days=1), DAY, 7)
    with pytest.raises(ValidationFailed):
        Period.asked(DAY - timedelta(days=366), DAY, DAY, 7)


def test_an_invalid_spike_rule_is_refused() -> None:
    with pytest.raises(ValueError, match="baseline_days"):
        SpikeRule(baseline_days=1)


def test_a_summary_masks_the_callers_data_and_any_other_long_number() -> None:
    caller = Caller("张三", "13800001234", "510104199001011234")
    text = "我是张三，电话13800001234，身份证510104199001011234，物业电话02885551234 不接"
    assert summary(text, caller) == "我是张*，电话138****1234，身份证5101**********1234，物业电话028****1234 不接"


def test_a_long_summary_is_cut() -> None:
    cut = summary("垃圾" * 100, Caller())
    assert len(cut) == SUMMARY_LENGTH and cut.endswith("…")
