"""How the principal travels: the gateway forwards the caller's own bearer token in gRPC metadata, and each
service verifies it again with the same public key (a service never trusts an unsigned principal)."""

from __future__ import annotations

from collections.abc import Iterable

AUTHORIZATION = "authorization"


def bearer_metadata(token: str) -> tuple[tuple[str, str], ...]:
    return ((AUTHORIZATION, f"Bearer {token}"),)


def token_from_metadata(metadata: Iterable[tuple[str, str | bytes]] | None) -> str | None:
    """The bearer token of the first ``authorization`` entry, or None when there is none usable."""
    value = next((value for key, value in metadata or () if key.lower() == AUTHORIZATION), None)
    if not isinstance(value, str):
        return None
    scheme, _, token = value.strip().partition(" ")
    token = token.strip()
    return token if scheme.lower() == "bearer" and token else None
