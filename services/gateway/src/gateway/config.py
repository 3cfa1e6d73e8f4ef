"""The gateway's own settings (the stack's are sunshine_kit.settings): read once, when the process starts."""

from __future__ import annotations

import hmac
from typing import Annotated

from pydantic import field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict


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
