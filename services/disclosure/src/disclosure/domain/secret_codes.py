"""The request number and the secret code an applicant follows a request with.

The code is 80 random bits shown once at submission; only its SHA-256 digest (keyed by the request number) is
stored. A random code of that length cannot be guessed or brute-forced from the digest, so a slow password
hash is not needed; comparison is constant-time.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import date

_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read out over the phone
CODE_LENGTH = 16  # 16 × 5 bits = 80 bits


def new_number(division: str, day: date) -> str:
    """申请编号, e.g. 510104-20260213-7KQ2MX."""
    suffix = "".join(secrets.choice(_ALPHABET) for _ in range(6))
    return f"{division}-{day:%Y%m%d}-{suffix}"


def new_secret_code() -> str:
    return "".join(secrets.choice(_ALPHABET) for _ in range(CODE_LENGTH))


def digest(number: str, code: str) -> str:
    return hashlib.sha256(f"{number}:{code.strip().upper()}".encode()).hexdigest()


def matches(number: str, code: str, stored_digest: str) -> bool:
    return hmac.compare_digest(digest(number, code), stored_digest)
