"""Auth settings (prefix SUNSHINE_AUTH_). The embedded default is dev mode with a local signing key; real
deployments set mode=jwt and the identity provider's public key from the environment, never the repo."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic_settings import BaseSettings, SettingsConfigDict

from sunshine_kit.auth.dev_issuer import DevIssuer
from sunshine_kit.auth.tokens import TokenVerifier


class AuthSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="SUNSHINE_AUTH_", extra="ignore")

    mode: Literal["dev", "jwt"] = "dev"
    dev_key_file: Path = Path("var/local/dev-auth/signing-key.pem")
    issuer: str = "sunshine-dev"
    audience: str = "sunshine"
    # PEM text of the identity provider's public key; used in jwt mode only.
    public_key: str | None = None

    def verifier(self) -> TokenVerifier:
        """Dev mode: the dev key file's public key (creating the key if missing); jwt mode: public_key."""
        if self.mode == "dev":
            public_key = DevIssuer(self.dev_key_file, self.issuer, self.audience).public_key_pem
        elif self.public_key:
            public_key = self.public_key
        else:
            raise ValueError("SUNSHINE_AUTH_PUBLIC_KEY is required when SUNSHINE_AUTH_MODE=jwt")
        return TokenVerifier(public_key, self.issuer, self.audience)
