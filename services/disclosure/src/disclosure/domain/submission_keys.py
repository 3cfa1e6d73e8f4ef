"""Idempotency keys of online submissions: a retry of the same submission finds the request it made.

A caller that cannot tell whether its submission was committed (the reply was lost, or it crashed after the
call) submits again with the same key. The request stores the key (unique per stack) and a fingerprint of what
was submitted and by which kind of caller; a submission whose key is known is a *replay* when the fingerprint
is the same, and refused (naming `idempotency_key`) when it is not, so a key never stands for two different
requests and a retry with different content is not silently taken for the first.

The caller's scope is part of the fingerprint: `public` for an anonymous submission, `staff:<division>` for a
signed-in staff member (e.g. the hotline's operator handing a call over). An anonymous caller who learns a
staff key and the whole content still cannot replay it (a replay issues a new secret code, see
`DisclosureRequest.replay`).
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


def staff_scope(division: str) -> str:
    return f"staff:{division}"


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
