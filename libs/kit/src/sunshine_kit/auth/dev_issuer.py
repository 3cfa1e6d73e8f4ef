"""Dev token issuer — for the embedded default only; real deployments use their identity provider (jwt mode).

``sunshine-dev-token --subject 张三 --role leader --division 510100`` prints a signed ES256 token. The signing
key is a PEM file created on first use (mode 0600); the stack's services verify with its public key.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import jwt

from sunshine_kit.auth.keys import load_or_create_key, public_key_pem
from sunshine_kit.auth.principal import Role
from sunshine_kit.identity import is_division_code


class DevIssuer:
    def __init__(self, key_file: Path | str, issuer: str, audience: str) -> None:
        self._private_key = load_or_create_key(Path(key_file))
        self._issuer = issuer
        self._audience = audience

    @property
    def public_key_pem(self) -> str:
        return public_key_pem(self._private_key)

    def issue(self, subject: str, roles: Iterable[Role | str], division: str, ttl: timedelta) -> str:
        if not is_division_code(division):
            raise ValueError(f"division {division!r} is not a 6- or 9-digit division code")
        now = datetime.now(UTC)
        claims = {
            "sub": subject,
            "roles": sorted({Role(role).value for role in roles}),
            "division": division,
            "iss": self._issuer,
            "aud": self._audience,
            "iat": now,
            "exp": now + ttl,
        }
        return jwt.encode(claims, self._private_key, algorithm="ES256")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sunshine-dev-token", description="Issue a dev bearer token (embedded default only)."
    )
    parser.add_argument("--subject", required=True)
    parser.add_argument("--role", required=True, action="append", choices=[role.value for role in Role])
    parser.add_argument("--division", required=True)
    parser.add_argument("--ttl-minutes", type=int, default=60)
    return parser


def main() -> None:
    # Imported here: the settings build their dev-mode verifier from DevIssuer.
    from sunshine_kit.auth.settings import AuthSettings

    settings = AuthSettings()
    if settings.mode != "dev":
        sys.exit(
            f"sunshine-dev-token: refused: SUNSHINE_AUTH_MODE is {settings.mode!r}; "
            "the dev issuer runs only with SUNSHINE_AUTH_MODE=dev (the embedded default)"
        )
    args = _parser().parse_args()
    if not is_division_code(args.division):
        sys.exit(f"sunshine-dev-token: --division {args.division!r} is not a 6- or 9-digit division code")
    issuer = DevIssuer(settings.dev_key_file, settings.expected_issuer, settings.audience)
    print(issuer.issue(args.subject, args.role, args.division, timedelta(minutes=args.ttl_minutes)))
