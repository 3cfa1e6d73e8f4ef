"""Settings from the environment (prefix SUNSHINE_), with embedded defaults.

One stack shares one environment: every service of a stack reads the stack identity and the addresses of
its sibling services from the same variables, and its own database URL from SUNSHINE_<SERVICE>_DATABASE_URL.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from sunshine_kit.identity import ChildStack, Level, StackIdentity

SERVICE_NAMES = ("disclosure", "hotline", "evaluation", "gateway")


class ChildSetting(BaseModel):
    division: str
    name: str


def identity_environment(identity: StackIdentity) -> dict[str, str]:
    """The SUNSHINE_* variables StackSettings reads the identity from (level, division, name, parent, children)."""
    children = [{"division": child.division, "name": child.name} for child in identity.children]
    return {
        "SUNSHINE_LEVEL": identity.level.value,
        "SUNSHINE_DIVISION": identity.division,
        "SUNSHINE_NAME": identity.name,
        "SUNSHINE_PARENT_DIVISION": identity.parent_division or "",
        "SUNSHINE_CHILDREN": json.dumps(children, ensure_ascii=False),
    }


class StackSettings(BaseSettings):
    """The stack's identity and the shared addresses. Defaults describe a lone embedded city stack."""

    model_config = SettingsConfigDict(env_prefix="SUNSHINE_", extra="ignore")

    level: Level = Level.CITY
    division: str = "510100"
    name: str = "示例市（样例数据）"
    parent_division: str | None = None
    # JSON list of {"division": ..., "name": ...}
    children: list[ChildSetting] = Field(default_factory=list)

    data_dir: Path = Path("var/embedded")
    nats_url: str = "nats://127.0.0.1:4222"

    disclosure_grpc_addr: str = "127.0.0.1:50051"
    hotline_grpc_addr: str = "127.0.0.1:50052"
    evaluation_grpc_addr: str = "127.0.0.1:50053"
    gateway_http_addr: str = "127.0.0.1:8080"

    # host:port of each process's Prometheus endpoint (GET /metrics); unset: no endpoint. Apart from the
    # gateway's public HTTP port, so a network policy can keep it inside.
    disclosure_metrics_addr: str | None = None
    hotline_metrics_addr: str | None = None
    evaluation_metrics_addr: str | None = None
    gateway_metrics_addr: str | None = None
    # How often backlogs (outbox, consumers, sync, overdue work) are sampled for the metrics, in seconds.
    metrics_interval_s: float = Field(default=5.0, gt=0)

    disclosure_database_url: str | None = None
    hotline_database_url: str | None = None
    evaluation_database_url: str | None = None

    # Holidays and 调休 for years the chinesecalendar package does not cover yet (docs/working-days.md).
    calendar_override_file: Path | None = None
    # How often the services re-read that file and recompute provisional dates (seconds).
    calendar_check_interval_s: float = 300.0
    # Deadline of every gRPC client call, in seconds.
    grpc_deadline_s: float = 5.0
    # none | console | otlp (OTLP endpoint from the standard OTEL_EXPORTER_OTLP_ENDPOINT)
    otel_exporter: Literal["none", "console", "otlp"] = "none"
    # Run schema migrations at start-up (the embedded default); production runs them as a deploy step.
    migrate_on_start: bool = True

    @field_validator("parent_division", mode="before")
    @classmethod
    def _empty_is_none(cls, value: object) -> object:
        return value or None

    @field_validator("children", mode="before")
    @classmethod
    def _children_from_json(cls, value: object) -> object:
        return json.loads(value) if isinstance(value, str) else value

    @property
    def identity(self) -> StackIdentity:
        return StackIdentity(
            level=self.level,
            division=self.division,
            name=self.name,
            parent_division=self.parent_division,
            children=tuple(ChildStack(c.division, c.name) for c in self.children),
        )

    def database_url(self, service: str) -> str:
        """The service's own database; defaults to a SQLite file in the data directory."""
        url = getattr(self, f"{service}_database_url")
        return url or f"sqlite+aiosqlite:///{self.data_dir / f'{service}.db'}"

    def grpc_addr(self, service: str) -> str:
        return getattr(self, f"{service}_grpc_addr")

    def metrics_addr(self, service: str) -> str | None:
        return getattr(self, f"{service}_metrics_addr")
