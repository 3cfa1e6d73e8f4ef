"""Reading a process's Prometheus endpoint the way Prometheus does: GET /metrics, parsed with prometheus-client."""

from __future__ import annotations

import asyncio
import urllib.request
from dataclasses import dataclass

from prometheus_client.parser import text_string_to_metric_families
from prometheus_client.samples import Sample


@dataclass(frozen=True)
class Scrape:
    samples: list[Sample]

    def value(self, name: str, **labels: str) -> float | None:
        """The value of the sample `name` whose labels include `labels`; None if there is none."""
        for sample in self.samples:
            if sample.name == name and labels.items() <= sample.labels.items():
                return sample.value
        return None

    def values(self, name: str, **labels: str) -> list[Sample]:
        return [s for s in self.samples if s.name == name and labels.items() <= s.labels.items()]


async def scrape(url: str) -> Scrape:
    """`url` is the full endpoint, e.g. http://127.0.0.1:18502/metrics."""
    text = await asyncio.to_thread(_get, url)
    return Scrape([sample for family in text_string_to_metric_families(text) for sample in family.samples])


def _get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.read().decode()
