"""The call a piece of work runs in — who made it, which method, from where — set by the gRPC server for the
duration of each call, so that a unit of work can record its change against it."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from sunshine_kit.auth import Principal, ServicePrincipal

ANONYMOUS = "anonymous"
# The client's address as the gateway saw it, forwarded to the services in this gRPC metadata key.
CLIENT_ADDRESS_KEY = "x-sunshine-client-address"

_current: ContextVar[Call | None] = ContextVar("sunshine_call", default=None)


@dataclass(frozen=True)
class Call:
    subject: str
    roles: tuple[str, ...]
    division: str
    method: str
    client_address: str

    @classmethod
    def of(cls, caller: Principal | ServicePrincipal | None, method: str, client_address: str) -> Call:
        if isinstance(caller, Principal):
            return cls(caller.subject, tuple(sorted(caller.roles)), caller.division, method, client_address)
        if isinstance(caller, ServicePrincipal):
            return cls(caller.subject, (), caller.division, method, client_address)
        return cls(ANONYMOUS, (), "", method, client_address)

    @property
    def name(self) -> str:
        """The method's own name: /sunshine.hotline.v1.HotlineService/SubmitTicket → SubmitTicket."""
        return self.method.rsplit("/", 1)[-1]


def current_call() -> Call | None:
    return _current.get()


@contextmanager
def in_call(call: Call) -> Iterator[None]:
    reset = _current.set(call)
    try:
        yield
    finally:
        _current.reset(reset)
