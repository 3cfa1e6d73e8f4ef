"""Auth settings (prefix SUNSHINE_AUTH_). The embedded default is dev mode with a local signing key; real
deployments set mode=jwt and the identity provider's public key from the environment, never the repo.

The stack's service signing key (service_identity.py) is, in dev mode, a file created on first use in the
stack's data directory; in jwt mode it must be given (PEM text or a secret file) and is never created."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Literal

from cryptography.hazmat.primitives.asymmetric import ec
from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from sunshine_kit.auth import keys
from sunshine_kit.auth.callers import CallerVerifier
from sunshine_kit.auth.dev_issuer import DevIssuer
from sunshine_kit.auth.service_identity import MAX_TTL, ServiceCredentials, ServiceTokenIssuer, ServiceTokenVerifier
from sunshine_kit.auth.tokens import TokenVerifier

DEV_SERVICE_KEY_FILE = Path("service-auth") / "signing-key.pem"


class AuthSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="SUNSHINE_AUTH_", extra="ignore")

    mode: Literal["dev", "jwt"] = "dev"
    dev_key_file: Path = Path("var/local/dev-auth/signing-key.pem")
    issuer: str = "sunshine-dev"
    audience: str = "sunshine"
    # PEM text of the identity provider's public key; used in jwt mode only.
    public_key: str | None = None
    # The stack's service signing key: PEM text (service_private_key) or a PEM file (service_key_file); dev
    # mode defaults to <data dir>/service-auth/signing-key.pem, created on first use.
    service_private_key: str | None = None
    service_key_file: Path | None = None
    # While rotating: the previous service key's public key (PEM text), still accepted.
    service_previous_public_key: str | None = None
    # The lifetime of this stack's service tokens: checked at load, so a bad value stops the service at start
    # (the issuer takes at most service_identity.MAX_TTL, 15 minutes).
    service_token_ttl_s: int = Field(default=300, gt=0, le=int(MAX_TTL.total_seconds()))

    def verifier(self) -> TokenVerifier:
        """Dev mode: the dev key file's public key (creating the key if missing); jwt mode: public_key."""
        if self.mode == "dev":
            public_key = DevIssuer(self.dev_key_file, self.issuer, self.audience).public_key_pem
        elif self.public_key:
            public_key = self.public_key
        else:
            raise ValueError("SUNSHINE_AUTH_PUBLIC_KEY is required when SUNSHINE_AUTH_MODE=jwt")
        return TokenVerifier(public_key, self.issuer, self.audience)

    def service_credentials(self, service: str, division: str, data_dir: Path) -> ServiceCredentials:
        """The running service's own token source (service identity)."""
        issuer = ServiceTokenIssuer(self._service_key(data_dir), division, self.audience)
        return ServiceCredentials(issuer, service, timedelta(seconds=self.service_token_ttl_s))

    def caller_verifier(self, division: str, data_dir: Path) -> CallerVerifier:
        """What a service accepts: staff tokens (verifier()) and the tokens of this stack's own services."""
        public_keys = [keys.public_key_pem(self._service_key(data_dir))]
        if self.service_previous_public_key:
            public_keys.append(self.service_previous_public_key)
        return CallerVerifier(self.verifier(), ServiceTokenVerifier(public_keys, division, self.audience))

    def _service_key(self, data_dir: Path) -> ec.EllipticCurvePrivateKey:
        if self.service_private_key:
            return keys.private_key(self.service_private_key.encode(), "SUNSHINE_AUTH_SERVICE_PRIVATE_KEY")
        if self.mode == "dev":
            return keys.load_or_create_key(self.service_key_file or data_dir / DEV_SERVICE_KEY_FILE)
        if self.service_key_file:
            return keys.load_key(self.service_key_file)
        raise ValueError(
            "SUNSHINE_AUTH_SERVICE_PRIVATE_KEY or SUNSHINE_AUTH_SERVICE_KEY_FILE is required when "
            "SUNSHINE_AUTH_MODE=jwt"
        )
