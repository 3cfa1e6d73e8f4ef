"""The real entrypoints started as a deployment would start them, without dev mode: each refuses to start, with
one line naming what to set, and writes no key of its own."""

from __future__ import annotations

import os
import subprocess
import sysconfig
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat, PublicFormat

SCRIPTS = Path(sysconfig.get_path("scripts"))
ISSUER = "https://sso.example.gov.cn/realms/sunshine"


def started(command: str, data_dir: Path, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("SUNSHINE_")}
    clean |= {"SUNSHINE_DATA_DIR": str(data_dir), "SUNSHINE_AUTH_DEV_KEY_FILE": str(data_dir / "dev.pem"), **env}
    return subprocess.run([str(SCRIPTS / command)], env=clean, capture_output=True, text=True, timeout=120, check=False)


def pem_pair() -> tuple[str, str]:
    key = ec.generate_private_key(ec.SECP256R1())
    private = key.private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption()).decode()
    public = key.public_key().public_bytes(Encoding.PEM, PublicFormat.SubjectPublicKeyInfo).decode()
    return private, public


@pytest.mark.parametrize(
    "command", ["sunshine-gateway", "sunshine-hotline", "sunshine-disclosure", "sunshine-evaluation"]
)
def test_without_dev_mode_and_keys_nothing_starts_and_no_key_is_written(command: str, tmp_path: Path) -> None:
    run = started(command, tmp_path)
    assert run.returncode == 1
    assert "refused to start" in run.stderr and "SUNSHINE_AUTH_MODE=dev" in run.stderr, run.stderr
    assert "Traceback" not in run.stderr
    assert list(tmp_path.iterdir()) == []


def test_the_hotline_needs_its_personal_data_key_even_with_the_providers_keys(tmp_path: Path) -> None:
    service_key, provider_key = pem_pair()[0], pem_pair()[1]
    run = started(
        "sunshine-hotline",
        tmp_path,
        SUNSHINE_AUTH_ISSUER=ISSUER,
        SUNSHINE_AUTH_PUBLIC_KEY=provider_key,
        SUNSHINE_AUTH_SERVICE_PRIVATE_KEY=service_key,
    )
    assert run.returncode == 1
    assert "hotline: refused to start: SUNSHINE_HOTLINE_PERSONAL_DATA_KEY" in run.stderr, run.stderr
    assert list(tmp_path.iterdir()) == []
