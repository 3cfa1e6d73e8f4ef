"""The gateway's own settings (the stack's are sunshine_kit.settings), read once when the process starts: the
gateway's (prefix SUNSHINE_GATEWAY_, docs/auth.md) and Open311's (prefix SUNSHINE_OPEN311_, docs/hotline.md)."""

from __future__ import annotations

import hmac
from typing import Annotated

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict


class GatewaySettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="SUNSHINE_GATEWAY_", extra="ignore")

    # /docs, /redoc and /openapi.json; unset: on in dev mode only.
    api_docs: bool | None = None
    # Sent on requests that arrived over TLS (directly, or per a trusted proxy's X-Forwarded-Proto); 0: never.
    hsts_max_age_s: int = Field(default=31_536_000, ge=0)
    content_security_policy: str = "frame-ancestors 'none'; base-uri 'none'; object-src 'none'"
    # The reverse proxies whose X-Forwarded-For and X-Forwarded-Proto are believed (comma-separated IPs or
    # networks, uvicorn's forwarded_allow_ips): the client's address is what rate limits and the audit use.
    forwarded_allow_ips: str = "127.0.0.1"
    # Rate limits of the public (signed-out) endpoints, per client address; 0: no limit.
    public_reads_per_minute: int = Field(default=120, ge=0)
    submissions_per_minute: int = Field(default=20, ge=0)
    follow_attempts_per_minute: int = Field(default=30, ge=0)
    # Following or evaluating one ticket or request (its number), from every client together.
    follow_attempts_per_number_per_hour: int = Field(default=20, ge=0)

    def docs_routes(self, dev_mode: bool) -> dict[str, None]:
        """FastAPI's arguments that turn the docs routes off, unless they are on."""
        on = dev_mode if self.api_docs is None else self.api_docs
        return {} if on else {"docs_url": None, "redoc_url": None, "openapi_url": None}


class Open311Settings(BaseSettings):
    """Open311 GeoReport v2 (docs/hotline.md). The keys are secrets: from the environment, never the repository."""

    model_config = SettingsConfigDict(env_prefix="SUNSHINE_OPEN311_", extra="ignore")

    # Comma-separated keys accepted for POST requests.{fmt}; none: every POST is refused (403).
    api_keys: Annotated[tuple[str, ...], NoDecode] = ()
    # What the discovery document says about whom to contact and how to get a key.
    contact: str = "12345 政务服务便民热线"
    key_service: str = "API key 请向本级 12345 政务服务便民热线管理机构申请"

    @field_validator("api_keys", mode="before")
    @classmethod
    def _comma_separated(cls, value: object) -> object:
        if isinstance(value, str):
            return tuple(key.strip() for key in value.split(",") if key.strip())
        return value

    def accepts(self, api_key: str) -> bool:
        """Compared as bytes in constant time: any text a client sends is a wrong key, not an error."""
        given = api_key.encode()
        return bool(api_key) and any(hmac.compare_digest(given, key.encode()) for key in self.api_keys)
