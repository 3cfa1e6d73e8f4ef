"""The hotline's own configuration (prefix SUNSHINE_HOTLINE_); defaults documented in docs/hotline.md."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from hotline.domain.time_limits import default_handling, default_signing


class HotlineSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="SUNSHINE_HOTLINE_", extra="ignore")

    # 32 bytes, base64; unset: a dev key file in the data directory (adapters/personal_data.py).
    personal_data_key: str | None = None
    # Topics, units and the dispatch catalogue (JSON, the shape of adapters/default_catalogue.json).
    catalogue_file: Path | None = None
    # Per urgency (NORMAL, URGENT) and category name (or "*"): "15d" working days or "24h" hours.
    handling_limits: dict[str, dict[str, str]] = Field(default_factory=default_handling)
    signing_limits: dict[str, str] = Field(default_factory=default_signing)
    # Likely duplicates (并单).
    duplicate_window_hours: float = 168.0
    duplicate_threshold: float = 0.5
    # The SLA clock: shares of the time limit, and how often the sweep runs.
    due_soon_at: float = 0.8
    auto_urge_at: float = 0.9
    sweep_interval_s: float = 60.0
    # Hotspots (热点, domain/hotspots.py): the spike rule, how many peak hours, and the issue list's summaries.
    hotspot_baseline_days: int = 14
    hotspot_spike_k: float = 3.0
    hotspot_spike_min_count: int = 5
    hotspot_peak_hours: int = 3
    issue_list_summaries: int = 3
    # Routing with disclosure: the topic of a redirected complaint, and how long a call to the disclosure service
    # may take (shorter than the gateway's deadline, so the operator hears "unavailable", not a timeout).
    redirected_topic: str = "其他"
    disclosure_deadline_s: float = 2.0
    # The topic classifier (domain/classification.py): labelled tickets to learn from (JSON Lines, the shape of
    # adapters/labelled_tickets/train.jsonl; unset: that shipped file), and the confidence below which it says
    # "no confident suggestion".
    classification_training_file: Path | None = None
    classification_threshold: float = Field(0.5, ge=0.0, le=1.0)
    # How often the applicants of redirected requests still missing on their tickets are fetched (seconds).
    redirected_applicant_interval_s: float = 5.0
