"""ES256 (ECDSA P-256) signing keys: read from a PEM file or text, or created on first use (embedded default)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    PublicFormat,
    load_pem_private_key,
)


def load_or_create_key(path: Path) -> ec.EllipticCurvePrivateKey:
    if not path.exists():
        _create_key(path)
    return load_key(path)


def load_key(path: Path) -> ec.EllipticCurvePrivateKey:
    return private_key(path.read_bytes(), str(path))


def private_key(pem: bytes, source: str) -> ec.EllipticCurvePrivateKey:
    key = load_pem_private_key(pem, password=None)
    if not isinstance(key, ec.EllipticCurvePrivateKey) or not isinstance(key.curve, ec.SECP256R1):
        raise ValueError(f"{source} is not a P-256 (ES256) private key")
    return key


def public_key_pem(key: ec.EllipticCurvePrivateKey) -> str:
    return key.public_key().public_bytes(Encoding.PEM, PublicFormat.SubjectPublicKeyInfo).decode()


def _create_key(path: Path) -> None:
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    pem = ec.generate_private_key(ec.SECP256R1()).private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption())
    # The services of a stack start together: write a private temp file (mkstemp: mode 0600), then link it
    # into place, so a racing process either wins or reads the winner's complete key.
    fd, temp = tempfile.mkstemp(dir=path.parent, prefix=".signing-key-")
    try:
        with os.fdopen(fd, "wb") as file:
            file.write(pem)
        os.link(temp, path)
    except FileExistsError:
        pass
    finally:
        os.unlink(temp)
