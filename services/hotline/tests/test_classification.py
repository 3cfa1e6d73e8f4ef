"""The topic classifier (诉求分类建议), its labelled data, the quality measures, and the operators' use case."""

from __future__ import annotations

import pytest
from hotline.adapters import catalogue_file, labelled_tickets_file
from hotline.domain.classification import LabelledText, TopicClassifier
from hotline.domain.classification_quality import quality
from hotline.domain.dispatch import Assignment, CatalogueEntry, DispatchCatalogue, Unit, UnitKind
from hotline.domain.taxonomy import Taxonomy, Topic
from hotline.service.classification import ClassificationService
from sunshine_kit.auth.principal import Principal, Role
from sunshine_kit.errors import DependencyUnavailable, PermissionDenied, ValidationFailed
from sunshine_kit.identity import Level, StackIdentity

CITY = StackIdentity(level=Level.CITY, division="510100", name="示例市")
TAXONOMY, CATALOGUE = catalogue_file.load(None, CITY)
TRAINING = labelled_tickets_file.load(labelled_tickets_file.TRAINING_FILE)
EVALUATION = labelled_tickets_file.load(labelled_tickets_file.EVALUATION_FILE)
OPERATOR = Principal("张三", frozenset({Role.HOTLINE_OPERATOR}), "510100")


@pytest.fixture(scope="module")
def shipped() -> TopicClassifier:
    return TopicClassifier.train(TRAINING, TAXONOMY, CATALOGUE)


def _normalised(text: str) -> str:
    return "".join(c for c in text if c.isalnum())


def test_no_text_is_both_trained_on_and_evaluated() -> None:
    trained = {_normalised(e.text) for e in TRAINING}
    assert not [e.text for e in EVALUATION if _normalised(e.text) in trained]


def test_the_data_covers_every_default_topic_and_nothing_else() -> None:
    names = {t.name for t in TAXONOMY.topics}
    for part, minimum in ((TRAINING, 25), (EVALUATION, 30)):
        assert {e.topic for e in part} == names
        assert min(sum(e.topic == n for e in part) for n in names) >= minimum


@pytest.mark.parametrize(
    ("text", "topic"),
    [
        ("小区门口的垃圾堆了一个星期没人清运，臭得很", "环境卫生"),
        ("老板欠了我们半年工资不发，工人都在讨薪", "劳动就业"),
        ("楼下烧烤摊油烟太大，熏得窗户都不敢开", "环境保护"),
        ("在外省住院了，医保怎么报销，要不要备案", "医疗保障"),
        ("孩子明年上小学，学位够不够，怎么报名入学", "教育"),
    ],
)
def test_clear_cases_get_their_topic_and_its_unit(shipped: TopicClassifier, text: str, topic: str) -> None:
    found = shipped.classify(text)
    assert found.topic == topic
    service = ClassificationService(shipped, CATALOGUE, "510100").suggest(OPERATOR, text)
    expected = CATALOGUE.for_topic(topic, text)
    assert expected is not None and service.dispatch == expected


def test_confidences_are_ranked_and_sum_to_at_most_one(shipped: TopicClassifier) -> None:
    found = shipped.classify("公交车半小时都不来一趟，站台也没有遮雨棚")
    scores = [s.confidence for s in found.alternatives]
    assert scores == sorted(scores, reverse=True)
    assert 0 < sum(scores) <= 1.0 + 1e-9
    assert len({s.topic for s in found.alternatives}) == len(scores) == 3


def test_below_the_threshold_there_is_no_suggestion_but_the_alternatives_remain() -> None:
    text = "路灯坏了，晚上好黑"
    lenient = TopicClassifier.train(TRAINING, TAXONOMY, CATALOGUE, threshold=0.0).classify(text)
    strict = TopicClassifier.train(TRAINING, TAXONOMY, CATALOGUE, threshold=1.0).classify(text)
    assert lenient.topic is not None and lenient.best is not None and lenient.best.confidence < 1.0
    assert strict.topic is None
    assert strict.alternatives == lenient.alternatives


def test_a_text_of_nothing_known_gets_no_suggestion(shipped: TopicClassifier) -> None:
    found = shipped.classify("？？！！ …… 😊")
    assert found.topic is None and found.alternatives == ()


def test_text_split_between_two_topics_is_not_suggested() -> None:
    """As much of one topic as of another: the classifier hesitates rather than guess."""
    taxonomy = Taxonomy(
        tuple(Topic(code, name, "", "") for code, name in (("w", "供水"), ("p", "供电"), ("g", "燃气")))
    )
    catalogue = _catalogue(
        CatalogueEntry("供水", "a", keywords=("停水",)),
        CatalogueEntry("供电", "a", keywords=("停电",)),
        CatalogueEntry("燃气", "a", keywords=("燃气",)),
    )
    found = TopicClassifier.train([], taxonomy, catalogue).classify("停水停电")
    assert {s.topic for s in found.alternatives[:2]} == {"供水", "供电"}
    assert found.best is not None and found.best.confidence < found.threshold and found.topic is None
    assert TopicClassifier.train([], taxonomy, catalogue).classify("又停水了").topic == "供水"


def _catalogue(*entries: CatalogueEntry) -> DispatchCatalogue:
    return DispatchCatalogue((Unit("a", "甲局", UnitKind.DEPARTMENT, "510100"),), entries)


def test_only_the_stacks_taxonomy_counts_and_keywords_alone_make_a_topic_reachable() -> None:
    taxonomy = Taxonomy((Topic("water", "供水", "", ""), Topic("gas", "燃气", "", ""), Topic("x", "空白", "", "")))
    catalogue = _catalogue(
        CatalogueEntry("燃气", "a", keywords=("燃气", "煤气", "天然气")),
        CatalogueEntry("不在分类里", "a", keywords=("自来水",)),
    )
    examples = [
        LabelledText("家里停水了，水龙头一滴水都没有", "供水"),
        LabelledText("自来水发黄，水压很低", "供水"),
        LabelledText("自来水自来水自来水", "环境卫生"),  # not in this stack's taxonomy: ignored
    ]
    classifier = TopicClassifier.train(examples, taxonomy, catalogue, threshold=0.0)
    assert classifier.topics == ("供水", "燃气")  # 空白 has neither examples nor keywords
    assert classifier.classify("天然气闻到有味道，煤气灶打不燃").topic == "燃气"
    assert classifier.classify("小区又停水了").topic == "供水"


def test_training_is_deterministic() -> None:
    text = "隔壁邻居装修把我家墙打裂了，赔偿谈不拢"
    first = TopicClassifier.train(TRAINING, TAXONOMY, CATALOGUE).classify(text)
    again = TopicClassifier.train(list(TRAINING), TAXONOMY, CATALOGUE).classify(text)
    assert first == again


def test_precision_and_recall_per_topic_on_a_crafted_confusion() -> None:
    # truth A ×4: 3 suggested A, 1 B; truth B ×3: 1 A, 1 B, 1 none; truth C ×1: none.
    outcomes = [("A", "A")] * 3 + [("A", "B"), ("B", "A"), ("B", "B"), ("B", None), ("C", None)]
    found = quality(outcomes, ["A", "B", "C"])
    a, b, c = found.topics
    assert (a.support, a.suggested, a.correct) == (4, 4, 3)
    assert (a.precision, a.recall) == (0.75, 0.75)
    assert (b.precision, b.recall) == (0.5, pytest.approx(1 / 3))
    assert b.f1 == pytest.approx(2 * 0.5 * (1 / 3) / (0.5 + 1 / 3))
    assert (c.precision, c.recall, c.f1) == (0.0, 0.0, 0.0)
    assert found.accuracy == 4 / 8 and found.coverage == 6 / 8
    assert found.macro_precision == pytest.approx((0.75 + 0.5 + 0) / 3)
    assert found.macro_recall == pytest.approx((0.75 + 1 / 3 + 0) / 3)


class Broken(TopicClassifier):
    def __init__(self) -> None:
        super().__init__({})

    def classify(self, text: str) -> object:  # type: ignore[override]
        raise RuntimeError("model file corrupt")


def test_a_failing_classifier_is_reported_unavailable() -> None:
    service = ClassificationService(Broken(), CATALOGUE, "510100")
    with pytest.raises(DependencyUnavailable, match="受理工单不受影响"):
        service.suggest(OPERATOR, "路灯不亮")


def test_only_operators_of_this_stack_ask_and_the_text_is_bounded(shipped: TopicClassifier) -> None:
    service = ClassificationService(shipped, CATALOGUE, "510100")
    with pytest.raises(PermissionDenied):
        service.suggest(Principal("李四", frozenset({Role.LEADER}), "510100"), "路灯不亮")
    with pytest.raises(PermissionDenied):
        service.suggest(Principal("王五", frozenset({Role.HOTLINE_OPERATOR}), "510104"), "路灯不亮")
    for text in ("   ", "灯" * 2001):
        with pytest.raises(ValidationFailed):
            service.suggest(OPERATOR, text)


def test_the_topic_entry_of_the_catalogue_gives_the_unit() -> None:
    catalogue = _catalogue(CatalogueEntry("燃气", "a", ("b",), ("燃气", "煤气")))
    found = catalogue.for_topic("燃气", "煤气罐漏气")
    assert found is not None and found.assignment == Assignment("a", ("b",)) and found.matched == ("煤气",)
    assert catalogue.for_topic("供水", "停水") is None
