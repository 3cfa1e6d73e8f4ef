"""The classification suggestion (分类建议) for operators: a topic and the catalogue's handling unit for it.

Advice only, and a separate call: intake never asks for it, so it can neither fail nor slow a ticket's intake.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from sunshine_kit.auth import Principal, Role, check_act, require_role
from sunshine_kit.errors import DependencyUnavailable, ValidationFailed

from hotline.domain.classification import Classification, TopicClassifier
from hotline.domain.dispatch import DispatchCatalogue, Suggestion

MAX_TEXT = 2000
UNAVAILABLE = "分类建议暂不可用，请人工选择诉求分类；受理工单不受影响"

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ClassificationSuggestion:
    classification: Classification
    dispatch: Suggestion | None  # None when there is no confident topic, or the catalogue has no entry for it


class ClassificationService:
    def __init__(self, classifier: TopicClassifier, catalogue: DispatchCatalogue, division: str) -> None:
        self._classifier = classifier
        self._catalogue = catalogue
        self._division = division

    def suggest(self, principal: Principal, text: str) -> ClassificationSuggestion:
        """Operators of this stack, from the text they are about to accept."""
        require_role(principal, Role.HOTLINE_OPERATOR)
        check_act(principal, self._division)
        description = text.strip()
        if not description or len(description) > MAX_TEXT:
            raise ValidationFailed.field("text", f"1 to {MAX_TEXT} characters")
        try:
            classification = self._classifier.classify(description)
        except Exception as error:  # advice only: any fault in it is reported as unavailable, never as a failure
            log.exception("topic classifier failed")
            raise DependencyUnavailable(UNAVAILABLE) from error
        topic = classification.topic
        return ClassificationSuggestion(
            classification, self._catalogue.for_topic(topic, description) if topic else None
        )
