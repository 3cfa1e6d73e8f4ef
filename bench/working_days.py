"""The cost of counting through a provisional year (预计, docs/working-days.md) next to counting through an
official one (the baseline), measured in the same run.

    uv run python bench/working_days.py [--rounds 5] [--starts 2000]

Per call of `add_working_days(start, 20)` (a disclosure request's reply deadline) and of `provisional_between`
over the result: starts spread over Oct–Nov 2025 (deadlines in official 2025/2026) against starts spread over
Dec 2026–Jan 2027 (deadlines in provisional 2027). Also the one-off cost of a calendar: building it (the
chinesecalendar data grouped by year) and the first use of a provisional year (the statutory days from the
holidays package, cached afterwards).
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from datetime import date, timedelta

from sunshine_kit.working_days import WorkingDayCalendar


def per_call_us(calendar: WorkingDayCalendar, starts: list[date], rounds: int) -> tuple[float, float]:
    samples = []
    for _ in range(rounds):
        for start in starts:
            began = time.perf_counter()
            calendar.provisional_between(start, calendar.add_working_days(start, 20))
            samples.append((time.perf_counter() - began) * 1e6)
    samples.sort()
    return statistics.median(samples), samples[int(len(samples) * 0.95)]


def once_ms(action: Callable[[], object]) -> float:
    began = time.perf_counter()
    action()
    return (time.perf_counter() - began) * 1e3


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--starts", type=int, default=2000)
    args = parser.parse_args()

    build_ms = once_ms(WorkingDayCalendar)
    calendar = WorkingDayCalendar()
    first_ms = once_ms(lambda: calendar.schedule(2027))
    official = [date(2025, 10, 1) + timedelta(days=i % 61) for i in range(args.starts)]
    provisional = [date(2026, 12, 1) + timedelta(days=i % 62) for i in range(args.starts)]
    assert not calendar.provisional_between(official[-1], calendar.add_working_days(official[-1], 20))
    assert calendar.provisional_between(provisional[-1], calendar.add_working_days(provisional[-1], 20))

    base50, base95 = per_call_us(calendar, official, args.rounds)
    prov50, prov95 = per_call_us(calendar, provisional, args.rounds)
    print(f"calls per case: {args.starts} starts x {args.rounds} rounds")
    print(f"{'':44}{'p50 µs':>10}{'p95 µs':>10}")
    print(f"{'20 working days through official years (baseline)':44}{base50:>10.1f}{base95:>10.1f}")
    print(f"{'20 working days through provisional 2027':44}{prov50:>10.1f}{prov95:>10.1f}")
    print(f"ratio provisional / official: p50 {prov50 / base50:.2f}, p95 {prov95 / base95:.2f}")
    print(f"one-off: building a calendar {build_ms:.1f} ms; first use of provisional 2027 {first_ms:.1f} ms")


if __name__ == "__main__":
    main()
