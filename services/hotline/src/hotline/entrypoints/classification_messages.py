"""The classification suggestion as its gRPC message."""

from __future__ import annotations

from sunshine.hotline.v1 import hotline_pb2 as pb

from hotline.service.classification import ClassificationSuggestion


def classification(suggestion: ClassificationSuggestion) -> pb.SuggestClassificationResponse:
    found, dispatch = suggestion.classification, suggestion.dispatch
    best = found.best
    return pb.SuggestClassificationResponse(
        topic=found.topic or "",
        confidence=best.confidence if best else 0.0,
        threshold=found.threshold,
        alternatives=[pb.TopicScore(topic=s.topic, confidence=s.confidence) for s in found.alternatives],
        lead_unit=dispatch.assignment.lead if dispatch else "",
        assisting_units=list(dispatch.assignment.assisting) if dispatch else [],
        matched_keywords=list(dispatch.matched) if dispatch else [],
    )
