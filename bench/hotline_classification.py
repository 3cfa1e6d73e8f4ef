"""Topic suggestion quality on the held-out evaluation set, next to the dispatch catalogue's keyword suggestion
(the baseline) measured in the same run.

    uv run python bench/hotline_classification.py [--threshold 0.5] [--rounds 5]

The classifier is trained on `adapters/labelled_tickets/train.jsonl` plus the default catalogue's keywords and
scored on `evaluation.jsonl` (texts written for this purpose, not real calls: docs/hotline.md). The baseline is
`DispatchCatalogue.suggest` given no topic (text only): the entry whose keywords occur most, none without a hit.
Printed per topic: precision, recall, F1 and support; then macro averages, accuracy (a ticket without a suggestion
counts as a miss), coverage (tickets with a suggestion), the lead unit's accuracy, and the classifier's latency
per ticket (p50/p95 over every evaluation text, `--rounds` times). Also the classifier without its threshold.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable

from hotline.adapters import catalogue_file, labelled_tickets_file
from hotline.domain.classification import LabelledText, TopicClassifier
from hotline.domain.classification_quality import Quality, quality
from hotline.domain.dispatch import DispatchCatalogue
from sunshine_kit.identity import Level, StackIdentity

STACK = StackIdentity(level=Level.CITY, division="510100", name="示例市")


def outcomes(examples: list[LabelledText], suggest: Callable[[str], str | None]) -> list[tuple[str, str | None]]:
    return [(e.topic, suggest(e.text)) for e in examples]


def unit_accuracy(pairs: list[tuple[str, str | None]], catalogue: DispatchCatalogue) -> float:
    def lead(topic: str | None) -> str | None:
        found = catalogue.for_topic(topic, "") if topic else None
        return found.assignment.lead if found else None

    return sum(lead(truth) is not None and lead(truth) == lead(got) for truth, got in pairs) / len(pairs)


def report(name: str, found: Quality, units: float) -> None:
    print(f"\n== {name}")
    print(f"{'topic':10} {'P':>6} {'R':>6} {'F1':>6} {'support':>8}")
    for t in found.topics:
        print(f"{t.topic:10} {t.precision:6.3f} {t.recall:6.3f} {t.f1:6.3f} {t.support:8d}")
    print(
        f"{'macro':10} {found.macro_precision:6.3f} {found.macro_recall:6.3f} {found.macro_f1:6.3f} {found.tickets:8d}"
    )
    print(f"accuracy {found.accuracy:.3f}   coverage {found.coverage:.3f}   lead unit accuracy {units:.3f}")


def ratio(ours: float, baseline: float) -> str:
    return f"{ours / baseline:.2f}×" if baseline else "∞"


def main(args: argparse.Namespace) -> None:
    taxonomy, catalogue = catalogue_file.load(None, STACK)
    training = labelled_tickets_file.load(labelled_tickets_file.TRAINING_FILE)
    evaluation = labelled_tickets_file.load(labelled_tickets_file.EVALUATION_FILE)
    topics = [t.name for t in taxonomy.topics]
    started = time.perf_counter()
    classifier = TopicClassifier.train(training, taxonomy, catalogue, args.threshold)
    trained_ms = (time.perf_counter() - started) * 1000
    print(f"training {len(training)} tickets + catalogue keywords: {trained_ms:.0f} ms; evaluation {len(evaluation)}")

    def keyword_topic(text: str) -> str | None:
        found = catalogue.suggest("", text)
        return found.topic if found else None

    def best_topic(text: str) -> str | None:
        best = classifier.classify(text).best
        return best.topic if best else None

    runs = {
        f"classifier (threshold {args.threshold})": outcomes(evaluation, lambda t: classifier.classify(t).topic),
        "classifier, top topic always (no threshold)": outcomes(evaluation, best_topic),
        "baseline: catalogue keywords (DispatchCatalogue.suggest)": outcomes(evaluation, keyword_topic),
    }
    qualities = {name: quality(pairs, topics) for name, pairs in runs.items()}
    for name, pairs in runs.items():
        report(name, qualities[name], unit_accuracy(pairs, catalogue))

    ours, always, baseline = qualities.values()
    print("\n== ratios to the baseline (classifier with threshold / no threshold)")
    for label, measure in (
        ("macro precision", lambda q: q.macro_precision),
        ("macro recall", lambda q: q.macro_recall),
        ("macro F1", lambda q: q.macro_f1),
        ("accuracy", lambda q: q.accuracy),
    ):
        print(f"{label:16} {ratio(measure(ours), measure(baseline))}  {ratio(measure(always), measure(baseline))}")

    samples = []
    for _ in range(args.rounds):
        for example in evaluation:
            began = time.perf_counter()
            classifier.classify(example.text)
            samples.append((time.perf_counter() - began) * 1000)
    cuts = statistics.quantiles(samples, n=100)
    print(f"\nlatency per ticket: p50 {cuts[49]:.3f} ms  p95 {cuts[94]:.3f} ms  ({len(samples)} classifications)")
    keyword_samples = []
    for example in evaluation:
        began = time.perf_counter()
        catalogue.suggest("", example.text)
        keyword_samples.append((time.perf_counter() - began) * 1000)
    print(f"baseline per ticket: p50 {statistics.median(keyword_samples):.3f} ms")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--threshold", type=float, default=0.5)
    parser.add_argument("--rounds", type=int, default=5)
    main(parser.parse_args())
