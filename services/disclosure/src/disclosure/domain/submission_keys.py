"""Idempotency keys of online submissions: a retry of the same submission finds the request it made.

A caller that cannot tell whether its submission was committed (the reply was lost, or it crashed after the
call) submits again with the same key. Keys are scoped by the kind of caller: `public` for an anonymous
submission, `staff:<division>` for a signed-in staff member (e.g. the hotline's operator handing a call over).
The request stores the key qualified by its scope (`public|<key>`, `staff:510104|<key>`: unique per stack) and a
fingerprint of what was submitted and by which kind of caller; a submission whose scoped key is known is a
*replay* when the fingerprint is the same, and refused (naming `idempotency_key`) when it is not, so a key never
stands for two different requests and a retry with different content is not silently taken for the first.

The same key in two scopes is two keys: an anonymous caller who uses `hotline-hand-over:<ticket id>` first makes
its own request and neither blocks the hotline's hand-over with that key nor learns whether the hotline used it.
The scope is part of the fingerprint too (a replay issues a new secret code, see `DisclosureRequest.replay`).
"""

from __future__ import annotations

import hashlib
import json
from typing import TYPE_CHECKING

from sunshine_kit.errors import FieldViolation

if TYPE_CHECKING:
    from disclosure.domain.disclosure_request import Intake

FIELD = "idempotency_key"
MAX_KEY = 200
PUBLIC = "public"
# The stored key: the longest scope (`staff:` and a 12-digit division) and `|` before a key of MAX_KEY.
MAX_SCOPED_KEY = 240


def staff_scope(division: str) -> str:
    return f"staff:{division}"


def scoped(scope: str, key: str) -> str:
    """The key as stored and looked up: qualified by the caller's scope (a scope has no `|`)."""
    return f"{scope}|{key}"


def key_violations(key: str) -> list[FieldViolation]:
    if len(key) > MAX_KEY:
        return [FieldViolation(FIELD, f"at most {MAX_KEY} characters")]
    if key != key.strip() or not key.isprintable():
        return [FieldViolation(FIELD, "printable characters without leading or trailing spaces")]
    return []


def fingerprint(intake: Intake, scope: str) -> str:
    """SHA-256 of the caller's scope and the submission as it is stored (applicant, description)."""
    applicant = intake.applicant
    kind = str(applicant.type) if applicant.type is not None else ""
    parts = [scope, kind, applicant.name, applicant.phone, applicant.id_number, applicant.address]
    parts.append(intake.description.strip())
    return hashlib.sha256(json.dumps(parts, ensure_ascii=False).encode()).hexdigest()
