"""Reads labelled tickets (JSON Lines: {"text": …, "topic": …}) for training and evaluating the topic classifier.

The shipped set (`labelled_tickets/`) was written for this purpose, not taken from real calls (docs/hotline.md).
"""

from __future__ import annotations

import json
from pathlib import Path

from hotline.domain.classification import LabelledText

FOLDER = Path(__file__).parent / "labelled_tickets"
TRAINING_FILE = FOLDER / "train.jsonl"
EVALUATION_FILE = FOLDER / "evaluation.jsonl"


def load(path: Path) -> list[LabelledText]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [LabelledText(row["text"], row["topic"]) for row in map(json.loads, filter(str.strip, lines))]
