"""Composition root of the hotline service."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from sunshine.hotline.v1 import hotline_pb2_grpc
from sunshine_kit.auth.settings import AuthSettings
from sunshine_kit.errors import refused_start_exits
from sunshine_kit.rpc.server import Servicer
from sunshine_kit.runtime import ServiceRuntime, utc_now
from sunshine_kit.settings import StackSettings

from hotline.adapters import catalogue_file, labelled_tickets_file
from hotline.adapters.disclosure_client import DisclosureClient
from hotline.adapters.personal_data import PersonalDataCipher, load_key
from hotline.adapters.settings import HotlineSettings
from hotline.adapters.tables import metadata
from hotline.domain.classification import TopicClassifier
from hotline.domain.clock import ClockPolicy
from hotline.domain.duplicates import DuplicateRule
from hotline.domain.hotspots import SpikeRule
from hotline.domain.time_limits import TimeLimits
from hotline.entrypoints import disclosure_consumers, level_consumers
from hotline.entrypoints.grpc_servicer import SERVICE_NAME, HotlineServicer
from hotline.entrypoints.metrics import OVERDUE_TICKETS
from hotline.service.classification import ClassificationService
from hotline.service.clock_sweep import ClockSweep
from hotline.service.cross_level import CrossLevel
from hotline.service.hand_over import HandOverService
from hotline.service.handling import HandlingService
from hotline.service.hotspots import HotspotPolicy, HotspotService
from hotline.service.knowledge import KnowledgeService
from hotline.service.redirected import RedirectedApplicants, RedirectedComplaints
from hotline.service.tickets import HotlineConfig, TicketService
from hotline.service.unit_of_work import HotlineUnitOfWork, with_cipher

MIGRATIONS = Path(__file__).parent / "adapters" / "migrations"


def build(settings: StackSettings, hotline: HotlineSettings | None = None) -> ServiceRuntime:
    hotline = hotline or HotlineSettings()
    runtime = ServiceRuntime("hotline", settings, metadata, MIGRATIONS)
    cipher = PersonalDataCipher(load_key(hotline.personal_data_key, settings.data_dir, AuthSettings().is_dev))
    unit_of_work = with_cipher(runtime.unit_of_work(HotlineUnitOfWork), cipher)
    config = _config(runtime, settings, hotline)
    tickets = TicketService(unit_of_work, config, utc_now)
    handling = HandlingService(unit_of_work, config, utc_now)
    sweep = ClockSweep(unit_of_work, ClockPolicy(hotline.due_soon_at, hotline.auto_urge_at), config, utc_now)
    runtime.every(hotline.sweep_interval_s, "SLA sweep", sweep.sweep)
    runtime.measure(OVERDUE_TICKETS, tickets.overdue_count)
    runtime.watch_calendar(sweep.recount)  # the sweep counts provisional due times again first
    level_consumers.register(runtime, CrossLevel(config, cipher, runtime, utc_now))
    hotspots = HotspotService(
        unit_of_work, runtime.identity.division, config.catalogue, _hotspot_policy(hotline), utc_now
    )
    disclosure = DisclosureClient(runtime.channel("disclosure", hotline.disclosure_deadline_s))
    division = runtime.identity.division
    knowledge = KnowledgeService(unit_of_work, disclosure, division, utc_now)
    hand_over = HandOverService(unit_of_work, disclosure, division, utc_now)
    complaints = RedirectedComplaints(cipher, runtime.publish_in, config.time_limits, hotline.redirected_topic, utc_now)
    disclosure_consumers.register(runtime, complaints)
    applicants = RedirectedApplicants(unit_of_work, disclosure, runtime.service_credentials(), utc_now)
    runtime.every(hotline.redirected_applicant_interval_s, "applicants of redirected requests", applicants.fill_in)
    runtime.add_servicer(
        Servicer(
            HotlineServicer(tickets, handling, hotspots, knowledge, hand_over, _classification(config, hotline)),
            hotline_pb2_grpc.add_HotlineServiceServicer_to_server,
            SERVICE_NAME,
        )
    )
    return runtime


def _config(runtime: ServiceRuntime, settings: StackSettings, hotline: HotlineSettings) -> HotlineConfig:
    taxonomy, catalogue = catalogue_file.load(hotline.catalogue_file, settings.identity)
    return HotlineConfig(
        identity=runtime.identity,
        time_limits=TimeLimits(runtime.calendar, hotline.handling_limits, hotline.signing_limits),
        taxonomy=taxonomy,
        catalogue=catalogue,
        duplicates=DuplicateRule(timedelta(hours=hotline.duplicate_window_hours), hotline.duplicate_threshold),
    )


def _classification(config: HotlineConfig, hotline: HotlineSettings) -> ClassificationService:
    examples = labelled_tickets_file.load(hotline.classification_training_file or labelled_tickets_file.TRAINING_FILE)
    classifier = TopicClassifier.train(examples, config.taxonomy, config.catalogue, hotline.classification_threshold)
    return ClassificationService(classifier, config.catalogue, config.identity.division)


def _hotspot_policy(hotline: HotlineSettings) -> HotspotPolicy:
    spikes = SpikeRule(hotline.hotspot_baseline_days, hotline.hotspot_spike_k, hotline.hotspot_spike_min_count)
    return HotspotPolicy(spikes, hotline.hotspot_peak_hours, hotline.issue_list_summaries)


def main() -> None:
    with refused_start_exits("hotline"):
        runtime = build(StackSettings())
    runtime.run()


if __name__ == "__main__":
    main()
