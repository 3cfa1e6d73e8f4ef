"""The gateway's own settings (prefix SUNSHINE_GATEWAY_); what each means is in docs/auth.md."""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


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
