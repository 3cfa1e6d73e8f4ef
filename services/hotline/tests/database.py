"""The sealing key of the tests that store tickets in a database (the `sessions` fixture, conftest.py)."""

from __future__ import annotations

import os

from hotline.adapters.personal_data import PersonalDataCipher

CIPHER = PersonalDataCipher(os.urandom(32))
