"""Following a ticket as a citizen: the ticket number (工单编号) and a secret code (查询码).

Only a hash of the code is stored. The code has 8 characters from a 31-letter alphabet without look-alikes
(about 40 bits), enough against guessing through a rate-limited public endpoint.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime

from sunshine_kit.timestamps import china_date

CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 8


def new_number(at: datetime) -> str:
    """The China date and 8 random digits, e.g. 2026021304817263 (unique index in the database)."""
    return f"{china_date(at):%Y%m%d}{secrets.randbelow(10**8):08d}"


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def code_hash(number: str, code: str) -> str:
    return hashlib.sha256(f"{number}:{code.strip().upper()}".encode()).hexdigest()

