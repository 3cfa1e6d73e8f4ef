"""The disclosure service's own configuration (prefix SUNSHINE_DISCLOSURE_); documented in docs/disclosure.md."""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from disclosure.domain.disclosure_request import MAX_CORRECTION_PERIOD_WORKING_DAYS
from disclosure.service.requests import DEFAULT_CORRECTION_PERIOD_DAYS


class DisclosureSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="SUNSHINE_DISCLOSURE_", extra="ignore")

    # The period a correction notice (补正, Art. 30) gives the applicant unless the office gives another.
    correction_period_working_days: int = Field(
        DEFAULT_CORRECTION_PERIOD_DAYS, ge=1, le=MAX_CORRECTION_PERIOD_WORKING_DAYS
    )
