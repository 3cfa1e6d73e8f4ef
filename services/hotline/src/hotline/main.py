"""Composition root of the hotline service."""

from __future__ import annotations

from pathlib import Path

from sunshine.hotline.v1 import hotline_pb2_grpc
from sunshine_kit.rpc.server import Servicer
from sunshine_kit.runtime import ServiceRuntime, utc_now
from sunshine_kit.settings import StackSettings

from hotline.adapters.tables import metadata
from hotline.domain.time_limits import TimeLimits
from hotline.entrypoints.grpc_servicer import SERVICE_NAME, HotlineServicer
from hotline.service.tickets import TicketService
from hotline.service.unit_of_work import HotlineUnitOfWork

MIGRATIONS = Path(__file__).parent / "adapters" / "migrations"


def build(settings: StackSettings) -> ServiceRuntime:
    runtime = ServiceRuntime("hotline", settings, metadata, MIGRATIONS)
    tickets = TicketService(
        runtime.unit_of_work(HotlineUnitOfWork), runtime.identity, TimeLimits(runtime.calendar), utc_now
    )
    runtime.add_servicer(
        Servicer(HotlineServicer(tickets), hotline_pb2_grpc.add_HotlineServiceServicer_to_server, SERVICE_NAME)
    )
    return runtime


def main() -> None:
    build(StackSettings()).run()


if __name__ == "__main__":
    main()
