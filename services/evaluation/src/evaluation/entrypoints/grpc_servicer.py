"""EvaluationService over gRPC."""

from __future__ import annotations

from sunshine.evaluation.v1 import evaluation_pb2 as pb
from sunshine.evaluation.v1 import evaluation_pb2_grpc
from sunshine_kit.rpc.principal import require_principal

from evaluation.service.intake import IntakeProjection

SERVICE_NAME = pb.DESCRIPTOR.services_by_name["EvaluationService"].full_name


class EvaluationServicer(evaluation_pb2_grpc.EvaluationServiceServicer):
    def __init__(self, intake: IntakeProjection) -> None:
        self._intake = intake

    async def GetIntakeCounts(self, request: pb.GetIntakeCountsRequest, context: object) -> pb.GetIntakeCountsResponse:
        counts = await self._intake.counts(require_principal(), request.division)
        return pb.GetIntakeCountsResponse(
            counts=[pb.IntakeCount(division=c.division, category=c.category, count=c.count) for c in counts]
        )
