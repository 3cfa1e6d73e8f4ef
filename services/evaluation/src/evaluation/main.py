"""Composition root of the evaluation service."""

from __future__ import annotations

from pathlib import Path

from sunshine.evaluation.v1 import evaluation_pb2_grpc
from sunshine_kit.envelope import event_subject
from sunshine_kit.errors import refused_start_exits
from sunshine_kit.levels import ROLLUP
from sunshine_kit.rpc.server import Servicer
from sunshine_kit.runtime import ServiceRuntime
from sunshine_kit.settings import StackSettings

from evaluation.adapters.intake_repository import IntakeRepository
from evaluation.adapters.tables import metadata
from evaluation.entrypoints.grpc_servicer import SERVICE_NAME, EvaluationServicer
from evaluation.service.intake import IntakeProjection

MIGRATIONS = Path(__file__).parent / "adapters" / "migrations"


def build(settings: StackSettings) -> ServiceRuntime:
    runtime = ServiceRuntime("evaluation", settings, metadata, MIGRATIONS)
    intake = IntakeProjection(runtime.sessions, IntakeRepository)
    own = event_subject(runtime.identity.division, "hotline", "ticket", "accepted")
    below = event_subject("*", "hotline", "ticket", "accepted")
    runtime.add_consumer("evaluation-intake", own, intake.on_ticket_accepted)
    # Everything below this stack, consolidated: the roll-up brings the children's and grandchildren's events.
    runtime.add_consumer("evaluation-intake-below", below, intake.on_ticket_accepted, stream=ROLLUP)
    runtime.add_servicer(
        Servicer(EvaluationServicer(intake), evaluation_pb2_grpc.add_EvaluationServiceServicer_to_server, SERVICE_NAME)
    )
    return runtime


def main() -> None:
    with refused_start_exits("evaluation"):
        runtime = build(StackSettings())
    runtime.run()


if __name__ == "__main__":
    main()
