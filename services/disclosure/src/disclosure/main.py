"""Composition root of the disclosure service."""

from __future__ import annotations

from pathlib import Path

from sunshine.disclosure.v1 import disclosure_pb2_grpc
from sunshine_kit.envelope import event_subject
from sunshine_kit.errors import refused_start_exits
from sunshine_kit.levels import ROLLUP
from sunshine_kit.rpc.server import Servicer
from sunshine_kit.runtime import ServiceRuntime, utc_now
from sunshine_kit.settings import StackSettings

from disclosure.adapters.settings import DisclosureSettings
from disclosure.adapters.tables import metadata
from disclosure.entrypoints.grpc_servicer import SERVICE_NAME, DisclosureServicer
from disclosure.entrypoints.metrics import OVERDUE_REQUESTS
from disclosure.service import catalogue_below, figures_below, requests_below
from disclosure.service.annual_report import AnnualReportService
from disclosure.service.catalogue import CatalogueService
from disclosure.service.decisions import DecisionService
from disclosure.service.provisional_dates import ProvisionalDates
from disclosure.service.requests import RequestService
from disclosure.service.unit_of_work import DisclosureUnitOfWork

MIGRATIONS = Path(__file__).parent / "adapters" / "migrations"
OVERDUE_CHECK_INTERVAL_S = 3600.0


def build(settings: StackSettings, disclosure: DisclosureSettings | None = None) -> ServiceRuntime:
    disclosure = disclosure or DisclosureSettings()
    runtime = ServiceRuntime("disclosure", settings, metadata, MIGRATIONS)
    unit_of_work = runtime.unit_of_work(DisclosureUnitOfWork)
    catalogue = CatalogueService(unit_of_work, runtime.identity, runtime.calendar, utc_now)
    correction_period = disclosure.correction_period_working_days
    requests = RequestService(unit_of_work, runtime.identity, runtime.calendar, utc_now, correction_period)
    reports = AnnualReportService(unit_of_work, runtime.identity, utc_now)
    decisions = DecisionService(unit_of_work, runtime.identity, runtime.calendar, utc_now)
    # The requests of every stack below, for the consolidated annual report: the roll-up brings their events.
    for happening, handler in (("received", requests_below.on_received), ("answered", requests_below.on_answered)):
        subject = event_subject("*", "disclosure", "disclosure_request", happening)
        runtime.add_consumer(f"disclosure-requests-below-{happening}", subject, handler, stream=ROLLUP)
    # Their rules and normative documents and their entered figures, for the consolidated tables 二 and 四.
    catalogue_handlers = (
        ("published", catalogue_below.on_published),
        ("revised", catalogue_below.on_revised),
        ("repealed", catalogue_below.on_repealed),
    )
    for happening, handler in catalogue_handlers:
        subject = event_subject("*", "disclosure", "catalogue_entry", happening)
        runtime.add_consumer(f"disclosure-catalogue-below-{happening}", subject, handler, stream=ROLLUP)
    figures_subject = event_subject("*", "disclosure", "report_figures", "recorded")
    runtime.add_consumer("disclosure-figures-below", figures_subject, figures_below.on_recorded, stream=ROLLUP)
    runtime.every(OVERDUE_CHECK_INTERVAL_S, "overdue check of requests", lambda: requests.detect_overdue(None))
    runtime.measure(OVERDUE_REQUESTS, requests.overdue_count)
    runtime.watch_calendar(ProvisionalDates(unit_of_work, runtime.calendar, utc_now).recompute)
    runtime.add_servicer(
        Servicer(
            DisclosureServicer(catalogue, requests, reports, decisions),
            disclosure_pb2_grpc.add_DisclosureServiceServicer_to_server,
            SERVICE_NAME,
        )
    )
    return runtime


def main() -> None:
    with refused_start_exits("disclosure"):
        runtime = build(StackSettings())
    runtime.run()


if __name__ == "__main__":
    main()
