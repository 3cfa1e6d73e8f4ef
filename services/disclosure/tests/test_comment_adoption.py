"""意见采纳情况: an overall explanation and one verdict per comment, with a reason where not adopted."""

from __future__ import annotations

import pytest
from disclosure.domain.comment_adoption import Adoption, AdoptionDraft, Feedback
from sunshine_kit.errors import ValidationFailed

COMMENTS = ["c1", "c2", "c3"]
EXPLANATION = "共收到意见3条，采纳1条，部分采纳1条，未采纳1条。"


def drafts() -> list[AdoptionDraft]:
    return [
        AdoptionDraft("c3", "建议取消补助上限", "not_adopted", "财政承受能力有限"),
        AdoptionDraft("c1", " 建议按楼层分档补助 ", "adopted"),
        AdoptionDraft("c2", "建议增加低楼层补偿", "partly_adopted", "仅对一层住户补偿"),
    ]


def test_every_comment_gets_one_verdict_numbered_in_the_order_received() -> None:
    feedback = Feedback.checked(f" {EXPLANATION} ", drafts(), COMMENTS)
    assert feedback.explanation == EXPLANATION
    assert [(a.number, a.comment_id, a.summary, a.adoption) for a in feedback.adoptions] == [
        (1, "c1", "建议按楼层分档补助", Adoption.ADOPTED),
        (2, "c2", "建议增加低楼层补偿", Adoption.PARTLY_ADOPTED),
        (3, "c3", "建议取消补助上限", Adoption.NOT_ADOPTED),
    ]
    assert [feedback.count(a) for a in Adoption] == [1, 1, 1]


def test_no_comments_need_only_the_explanation() -> None:
    assert Feedback.checked("未收到意见。", [], []).adoptions == ()


@pytest.mark.parametrize(
    ("change", "fields"),
    [
        ({"explanation": " "}, ["feedback_explanation"]),
        ({"drafts": drafts()[1:]}, ["adoptions"]),
        ({"drafts": [*drafts(), AdoptionDraft("c1", "重复", "adopted")]}, ["adoptions[3].comment_id"]),
        ({"drafts": [*drafts()[1:], AdoptionDraft("c9", "他处意见", "adopted")]},
         ["adoptions[2].comment_id", "adoptions"]),
        ({"drafts": [AdoptionDraft("c3", "建议取消补助上限", "not_adopted"), *drafts()[1:]]}, ["adoptions[0].reason"]),
        ({"drafts": [AdoptionDraft("c3", "", "maybe", "理由"), *drafts()[1:]]},
         ["adoptions[0].summary", "adoptions[0].adoption"]),
    ],
)  # fmt: skip
def test_refusals_name_the_field(change: dict, fields: list[str]) -> None:
    arguments = {"explanation": EXPLANATION, "drafts": drafts(), **change}
    with pytest.raises(ValidationFailed) as raised:
        Feedback.checked(arguments["explanation"], arguments["drafts"], COMMENTS)
    assert [v.field for v in raised.value.violations] == fields
