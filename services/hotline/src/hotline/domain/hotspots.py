"""Hotspots (热点): where and when tickets concentrate, and which topics jump above their usual level.

Facts are counted in China time: a ticket accepted at 2026-03-01 16:30 UTC is on 2026-03-02, hour 0.

- **Counts** by topic × place (division) × hour of day, and by topic × place × day, over the period.
- **Peak hours** (高峰时段): the `peak_hours` hours of day with the most tickets over the period (ties: the
  earlier hour first; hours without tickets are never peaks).
- **Spike** (激增): for each topic and place, the day examined (the period's last day) against the `baseline_days`
  days before it (days without tickets count as 0): a spike when count ≥ `min_count` and
  count > mean + k × stddev (population standard deviation). `min_count` keeps tiny samples from flagging:
  with a quiet baseline a single ticket would otherwise exceed it.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from statistics import fmean, pstdev

from sunshine_kit.errors import ValidationFailed
from sunshine_kit.timestamps import CHINA_TIME

HOURS = range(24)
MAX_PERIOD_DAYS = 366


@dataclass(frozen=True)
class Bucket:
    """How many tickets about a topic at a place were accepted in one China-time hour of one China day."""

    topic: str
    place_division: str
    day: date
    hour: int
    count: int = 1

    @classmethod
    def of(cls, topic: str, place_division: str, accepted_at: datetime) -> Bucket:
        local = accepted_at.astimezone(CHINA_TIME)
        return cls(topic, place_division, local.date(), local.hour)


@dataclass(frozen=True)
class SpikeRule:
    baseline_days: int = 14
    k: float = 3.0
    min_count: int = 5

    def __post_init__(self) -> None:
        if self.baseline_days < 2 or self.k < 0 or self.min_count < 1:
            raise ValueError("spike rule: baseline_days ≥ 2, k ≥ 0, min_count ≥ 1")

    def judge(self, count: int, baseline: list[int]) -> tuple[bool, float, float, float]:
        """(spike?, mean, stddev, threshold) of one day's count against its baseline series."""
        mean, stddev = fmean(baseline), pstdev(baseline)
        threshold = mean + self.k * stddev
        return count >= self.min_count and count > threshold, mean, stddev, threshold


@dataclass(frozen=True)
class Period:
    """China calendar days, both ends included."""

    first: date
    last: date

    @classmethod
    def asked(cls, first: date | None, last: date | None, today: date, default_days: int) -> Period:
        """The period asked for: `last` defaults to today, `first` to `default_days` days ending on `last`."""
        last = last or today
        period = cls(first or last - timedelta(days=default_days - 1), last)
        if period.first > period.last:
            raise ValidationFailed.field("from", "must not be after the period's last day")
        if (period.last - period.first).days >= MAX_PERIOD_DAYS:
            raise ValidationFailed.field("from", f"a period spans at most {MAX_PERIOD_DAYS} days")
        return period

    def __contains__(self, day: date) -> bool:
        return self.first <= day <= self.last


@dataclass(frozen=True)
class Spike:
    topic: str
    place_division: str
    day: date
    count: int
    baseline_mean: float
    baseline_stddev: float
    threshold: float


@dataclass(frozen=True)
class Hotspots:
    period: Period
    by_hour: dict[tuple[str, str, int], int]  # (topic, place, hour of day) → tickets in the period
    by_day: dict[tuple[str, str, date], int]  # (topic, place, day) → tickets
    hourly_totals: list[int]  # 24 values: all topics and places
    peak_hours: list[int]
    spikes: list[Spike]


def days_needed(period: Period, rule: SpikeRule) -> Period:
    """The days a hotspot report reads: the period, and the baseline before its last day."""
    return Period(min(period.first, period.last - timedelta(days=rule.baseline_days)), period.last)


def peak_hours(hourly_totals: list[int], how_many: int) -> list[int]:
    ranked = sorted((h for h in HOURS if hourly_totals[h] > 0), key=lambda h: (-hourly_totals[h], h))
    return ranked[:how_many]


def hotspots(buckets: list[Bucket], period: Period, rule: SpikeRule, how_many_peaks: int) -> Hotspots:
    """The period's counts and peaks, and the spikes of its last day; buckets may reach back further."""
    by_hour: Counter[tuple[str, str, int]] = Counter()
    by_day: Counter[tuple[str, str, date]] = Counter()
    hourly = [0] * 24
    daily: dict[tuple[str, str], Counter[date]] = defaultdict(Counter)
    for b in buckets:
        daily[(b.topic, b.place_division)][b.day] += b.count
        if b.day in period:
            by_hour[(b.topic, b.place_division, b.hour)] += b.count
            by_day[(b.topic, b.place_division, b.day)] += b.count
            hourly[b.hour] += b.count
    return Hotspots(
        period,
        dict(sorted(by_hour.items())),
        dict(sorted(by_day.items())),
        hourly,
        peak_hours(hourly, how_many_peaks),
        spikes(daily, period.last, rule),
    )


def spikes(daily: dict[tuple[str, str], Counter[date]], day: date, rule: SpikeRule) -> list[Spike]:
    before = [day - timedelta(days=n) for n in range(rule.baseline_days, 0, -1)]
    found = []
    for (topic, place), counts in sorted(daily.items()):
        spike, mean, stddev, threshold = rule.judge(counts[day], [counts[d] for d in before])
        if spike:
            found.append(Spike(topic, place, day, counts[day], mean, stddev, threshold))
    return sorted(found, key=lambda s: (-s.count, s.topic, s.place_division))
