"""The Grafana dashboard asks only for metrics the code exports, and shows every one of them."""

from __future__ import annotations

import json
import re
from pathlib import Path

import disclosure.entrypoints.metrics
import gateway.entrypoints.metrics
import hotline.entrypoints.metrics
import sunshine_kit.metrics
import sunshine_kit.rpc.metrics
from prometheus_client import REGISTRY

ROOT = Path(__file__).resolve().parents[2]
DASHBOARD = ROOT / "deploy" / "grafana" / "sunshine.json"
EXPORTING_MODULES = (sunshine_kit.metrics, sunshine_kit.rpc.metrics, gateway.entrypoints.metrics,
                     hotline.entrypoints.metrics, disclosure.entrypoints.metrics)
SUFFIXES = {"counter": ("_total",), "histogram": ("_bucket", "_sum", "_count"), "gauge": ("",)}


def exported() -> dict[str, set[str]]:
    """Each Sunshine metric family -> the sample names Prometheus stores for it."""
    assert EXPORTING_MODULES  # imported for their metrics
    return {
        family.name: {family.name + suffix for suffix in SUFFIXES[family.type]}
        for family in REGISTRY.collect()
        if family.name.startswith("sunshine_") and family.type in SUFFIXES
    }


def queried() -> set[str]:
    dashboard = json.loads(DASHBOARD.read_text(encoding="utf-8"))
    expressions = [target["expr"] for panel in dashboard["panels"] for target in panel.get("targets", [])]
    expressions.append(dashboard["templating"]["list"][1]["query"])
    return {name for expression in expressions for name in re.findall(r"\bsunshine_[a-z_]+", expression)}


def test_every_queried_metric_is_exported() -> None:
    samples = set().union(*exported().values())

    assert queried() - samples == set()


def test_every_exported_metric_is_on_the_dashboard() -> None:
    shown = queried()

    assert {family for family, samples in exported().items() if not samples & shown} == set()
