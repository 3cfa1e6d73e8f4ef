"""The closed legal set of outcomes of a request (Art. 36), as the rows of table 三 of the annual report.

Codes follow the rows of 国办公开办函〔2021〕30号: "1" is （一）予以公开, "3.4" is （三）不予公开 4.保护第三方合法权益,
and so on. Every answer carries exactly one of them.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Outcome:
    code: str
    section: str
    label: str

    @property
    def needs_reason(self) -> bool:
        """Everything but full disclosure is explained to the applicant (Art. 36)."""
        return self.code != "1"


_SECTIONS = {
    "3": "（三）不予公开",
    "4": "（四）无法提供",
    "5": "（五）不予处理",
    "6": "（六）其他处理",
}
_ROWS = (
    ("1", "（一）予以公开"),
    ("2", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"),
    ("3.1", "1.属于国家秘密"),
    ("3.2", "2.其他法律行政法规禁止公开"),
    ("3.3", "3.危及“三安全一稳定”"),
    ("3.4", "4.保护第三方合法权益"),
    ("3.5", "5.属于三类内部事务信息"),
    ("3.6", "6.属于四类过程性信息"),
    ("3.7", "7.属于行政执法案卷"),
    ("3.8", "8.属于行政查询事项"),
    ("4.1", "1.本机关不掌握相关政府信息"),
    ("4.2", "2.没有现成信息需要另行制作"),
    ("4.3", "3.补正后申请内容仍不明确"),
    ("5.1", "1.信访举报投诉类申请"),
    ("5.2", "2.重复申请"),
    ("5.3", "3.要求提供公开出版物"),
    ("5.4", "4.无正当理由大量反复申请"),
    ("5.5", "5.要求行政机关确认或重新出具已获取信息"),
    ("6.1", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"),
    ("6.2", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"),
    ("6.3", "3.其他"),
)

OUTCOMES: tuple[Outcome, ...] = tuple(
    Outcome(code, _SECTIONS.get(code.split(".")[0], label), label) for code, label in _ROWS
)
BY_CODE = {outcome.code: outcome for outcome in OUTCOMES}

COMPLAINT = BY_CODE["5.1"]
STILL_UNCLEAR_AFTER_CORRECTION = BY_CODE["4.3"]
NO_CORRECTION_IN_TIME = BY_CODE["6.1"]
FEE_UNPAID = BY_CODE["6.2"]
OTHER = BY_CODE["6.3"]
