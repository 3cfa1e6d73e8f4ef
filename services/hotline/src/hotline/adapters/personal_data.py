"""Caller data encrypted at rest (AES-256-GCM), and a keyed hash of the phone to find the same caller again.

The key is 32 bytes, base64, from SUNSHINE_HOTLINE_PERSONAL_DATA_KEY, which production sets from its secret
store; without it a production start is refused. Only dev mode (the embedded default) creates a dev key file
`hotline-personal-data.key` (mode 0600) in the data directory on first use. A key never belongs in the repository.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
from pathlib import Path

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from sunshine_kit.errors import StartRefused

from hotline.domain.caller import Caller

KEY_BYTES = 32
NONCE_BYTES = 12
DEV_KEY_FILE = "hotline-personal-data.key"


def load_key(configured: str | None, data_dir: Path, dev_mode: bool) -> bytes:
    if configured:
        try:
            key = base64.b64decode(configured.strip(), validate=True)
        except binascii.Error:
            key = b""
        if len(key) != KEY_BYTES:
            raise StartRefused("SUNSHINE_HOTLINE_PERSONAL_DATA_KEY must be 32 bytes, base64-encoded")
        return key
    if not dev_mode:
        raise StartRefused(
            "SUNSHINE_HOTLINE_PERSONAL_DATA_KEY (32 bytes, base64, from the secret store) is required; "
            "only SUNSHINE_AUTH_MODE=dev keeps a key file beside the database"
        )
    return _dev_key(data_dir / DEV_KEY_FILE)


def _dev_key(path: Path) -> bytes:
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as file:
            file.write(base64.b64encode(AESGCM.generate_key(bit_length=256)).decode())
    return base64.b64decode(path.read_text().strip())


class PersonalDataCipher:
    def __init__(self, key: bytes) -> None:
        self._aead = AESGCM(key)
        self._index_key = hmac.new(key, b"sunshine-hotline-caller-index", hashlib.sha256).digest()

    def seal(self, value: str, column: str) -> bytes | None:
        if not value:
            return None
        nonce = os.urandom(NONCE_BYTES)
        return nonce + self._aead.encrypt(nonce, value.encode(), column.encode())

    def open(self, sealed: bytes | None, column: str) -> str:
        if not sealed:
            return ""
        return self._aead.decrypt(sealed[:NONCE_BYTES], sealed[NONCE_BYTES:], column.encode()).decode()

    def caller_key(self, caller: Caller) -> str | None:
        """A keyed hash of the normalised phone (or ID number, or email): equal for the same caller, useless without
        the key."""
        phone = "".join(c for c in caller.phone if c.isdigit())
        identity = phone or caller.id_number.strip().upper() or caller.email.strip().lower()
        if not identity:
            return None
        return hmac.new(self._index_key, identity.encode(), hashlib.sha256).hexdigest()
