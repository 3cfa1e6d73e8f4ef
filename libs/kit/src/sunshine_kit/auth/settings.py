"""Auth settings (prefix SUNSHINE_AUTH_). Dev mode — the embedded default's local signing key — only when asked
for by name (SUNSHINE_AUTH_MODE=dev, as the local runner does); any other start is a production start (jwt mode)
and refuses to start without the identity provider's issuer and keys, never falling back to a dev key.

The stack's service signing key (service_identity.py) is, in dev mode, a file created on first use in the
stack's data directory; in jwt mode it must be given (PEM text or a secret file) and is never created."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Annotated, Literal

from cryptography.hazmat.primitives.asymmetric import ec
from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from sunshine_kit.auth import keys
from sunshine_kit.auth.callers import CallerVerifier
from sunshine_kit.auth.dev_issuer import DevIssuer
from sunshine_kit.auth.service_identity import MAX_TTL, ServiceCredentials, ServiceTokenIssuer, ServiceTokenVerifier
from sunshine_kit.auth.tokens import ClaimNames, TokenVerifier, jwks_keys
from sunshine_kit.errors import StartRefused

DEV_SERVICE_KEY_FILE = Path("service-auth") / "signing-key.pem"
DEV_ISSUER = "sunshine-dev"
FOR_A_DEMO = "; for the local demo hierarchy set SUNSHINE_AUTH_MODE=dev"


class AuthSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="SUNSHINE_AUTH_", extra="ignore")

    mode: Literal["dev", "jwt"] = "jwt"
    dev_key_file: Path = Path("var/local/dev-auth/signing-key.pem")
    # The identity provider's issuer URL (jwt mode, required); dev mode: "sunshine-dev".
    issuer: str | None = None
    audience: str = "sunshine"
    # jwt mode: the provider's JWKS (keys rotate without a restart), or one fixed public key (PEM text).
    jwks_url: str | None = None
    public_key: str | None = None
    algorithms: Annotated[list[str], NoDecode] = ["ES256", "RS256"]
    # The OIDC client of the dashboard's sign-in page (authorization code + PKCE).
    client_id: str = "sunshine-dashboard"
    subject_claim: str = "sub"
    roles_claim: str = "roles"
    role_prefix: str = ""
    division_claim: str = "division"
    staff_token_max_lifetime_s: int = Field(default=8 * 3600, gt=0, le=24 * 3600)
    # The stack's service signing key: PEM text (service_private_key) or a PEM file (service_key_file); dev
    # mode defaults to <data dir>/service-auth/signing-key.pem, created on first use.
    service_private_key: str | None = None
    service_key_file: Path | None = None
    # While rotating: the previous service key's public key (PEM text), still accepted.
    service_previous_public_key: str | None = None
    # The lifetime of this stack's service tokens: checked at load, so a bad value stops the service at start
    # (the issuer takes at most service_identity.MAX_TTL, 15 minutes).
    service_token_ttl_s: int = Field(default=300, gt=0, le=int(MAX_TTL.total_seconds()))

    @field_validator("algorithms", mode="before")
    @classmethod
    def _comma_separated(cls, value: object) -> object:
        return [part.strip() for part in value.split(",") if part.strip()] if isinstance(value, str) else value

    @property
    def is_dev(self) -> bool:
        return self.mode == "dev"

    @property
    def expected_issuer(self) -> str:
        if self.issuer:
            return self.issuer
        if self.is_dev:
            return DEV_ISSUER
        raise StartRefused("SUNSHINE_AUTH_ISSUER (the identity provider's issuer URL) is required" + FOR_A_DEMO)

    def verifier(self) -> TokenVerifier:
        """Staff tokens: dev mode from the dev key file's public key (creating the key if missing); jwt mode
        from the JWKS, or else the fixed public key; neither refuses the start."""
        if self.is_dev:
            source: object = DevIssuer(self.dev_key_file, self.expected_issuer, self.audience).public_key_pem
        elif self.jwks_url:
            source = jwks_keys(self.jwks_url)
        elif self.public_key:
            source = self.public_key
        else:
            raise StartRefused(
                "SUNSHINE_AUTH_JWKS_URL (the identity provider's JWKS) or SUNSHINE_AUTH_PUBLIC_KEY is required"
                + FOR_A_DEMO
            )
        try:
            return TokenVerifier(
                source,  # type: ignore[arg-type]
                self.expected_issuer,
                self.audience,
                algorithms=self.algorithms,
                claim_names=ClaimNames(self.subject_claim, self.roles_claim, self.role_prefix, self.division_claim),
                max_lifetime=timedelta(seconds=self.staff_token_max_lifetime_s),
            )
        except ValueError as error:
            raise StartRefused(f"SUNSHINE_AUTH_ALGORITHMS / SUNSHINE_AUTH_PUBLIC_KEY: {error}") from None

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
        if self.is_dev:
            return keys.load_or_create_key(self.service_key_file or data_dir / DEV_SERVICE_KEY_FILE)
        if self.service_key_file and self.service_key_file.is_file():
            return keys.load_key(self.service_key_file)
        if self.service_key_file:
            raise StartRefused(f"SUNSHINE_AUTH_SERVICE_KEY_FILE: there is no file {self.service_key_file}")
        raise StartRefused(
            "SUNSHINE_AUTH_SERVICE_PRIVATE_KEY or SUNSHINE_AUTH_SERVICE_KEY_FILE (the stack's service signing key) "
            "is required" + FOR_A_DEMO
        )
