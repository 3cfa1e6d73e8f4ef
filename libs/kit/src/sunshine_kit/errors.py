"""Errors every service raises, mapped to gRPC status codes in one place (sunshine_kit.grpc.errors).

Services subclass these for their domain errors; the mapping looks only at the base class.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass


@dataclass(frozen=True)
class FieldViolation:
    field: str
    description: str


class SunshineError(Exception):
    """Base of every error that is the caller's to fix (never a 500)."""


class ValidationFailed(SunshineError):
    """Bad input; names each offending field (gRPC INVALID_ARGUMENT, HTTP 400)."""

    def __init__(self, *violations: FieldViolation) -> None:
        self.violations = violations
        super().__init__("; ".join(f"{v.field}: {v.description}" for v in violations))

    @classmethod
    def field(cls, field: str, description: str) -> ValidationFailed:
        return cls(FieldViolation(field, description))


class NotFound(SunshineError):
    """gRPC NOT_FOUND, HTTP 404."""


class IllegalTransition(SunshineError):
    """An action the current state does not allow (gRPC FAILED_PRECONDITION, HTTP 409)."""

    def __init__(self, action: str, current_state: str) -> None:
        self.action = action
        self.current_state = current_state
        super().__init__(f"cannot {action} in state {current_state}")


class Unauthenticated(SunshineError):
    """No valid credentials (gRPC UNAUTHENTICATED, HTTP 401)."""


class PermissionDenied(SunshineError):
    """Authenticated, but the role or jurisdiction does not allow it (gRPC PERMISSION_DENIED, HTTP 403)."""


class TooLarge(SunshineError):
    """A request, or the answer to it, over a size limit (gRPC RESOURCE_EXHAUSTED, HTTP 413)."""


class DependencyUnavailable(SunshineError):
    """A service this call needs is down (gRPC UNAVAILABLE, HTTP 503)."""


class StartRefused(Exception):
    """The configuration is missing something a safe start needs (a key, an issuer); the message says which
    variable to set. Not a SunshineError: it stops a process at start, it never answers a call."""


@contextmanager
def refused_start_exits(process: str) -> Iterator[None]:
    """Around a process's start: a StartRefused ends the process with its reason, not a traceback."""
    try:
        yield
    except StartRefused as refused:
        sys.exit(f"{process}: refused to start: {refused}")
