"""信息处理费: the fee for requests beyond a reasonable volume or frequency (Art. 42), by the schedule of
国办函〔2020〕109号《政府信息公开信息处理费管理办法》.

Both bases are progressive by excess (超额累进, 第三条); the office chooses one per request, never both:

- 按件计收 (第四条), per 件 the same applicant applied for within one calendar month: the 1st–10th free, the
  11th–30th 100 元 each, from the 31st in bands of 10 whose price rises by 100 元 a band (31st–40th 200 元,
  41st–50th 300 元, …).
- 按量计收 (第五条), per page of one request: pages 1–30 free, 31–100 10 元, 101–200 20 元, from 201 40 元.

The applicant pays within 20 working days of receiving the notice; the time from the notice to the payment does
not count toward the reply deadline; unpaid by then, the request is not processed further (outcome 6.2).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from enum import StrEnum

from sunshine_kit.errors import FieldViolation, ValidationFailed
from sunshine_kit.working_days import WorkingDayCalendar

PAYMENT_WORKING_DAYS = 20
# Per basis: 件 of one request (a request counted as more than a thousand 件 is a data-entry error), pages of one
# request. The amount is kept in int32 columns and fields, so a larger one is refused too.
MAX_ITEMS = 1_000
MAX_PAGES = 100_000
MAX_AMOUNT_YUAN = 2**31 - 1
FREE_ITEMS_PER_MONTH = 10
FREE_PAGES = 30
_PAGE_BANDS = ((0, FREE_PAGES, 0), (FREE_PAGES, 100, 10), (100, 200, 20))  # (after page, up to page, 元 a page)
_BEYOND_PAGE_RATE = 40


class FeeBasis(StrEnum):
    PER_REQUEST = "per_request"  # 按件计收
    PER_PAGE = "per_page"  # 按量计收


def item_rate(ordinal: int) -> int:
    """元 for the n-th 件 of the same applicant in a calendar month."""
    if ordinal <= FREE_ITEMS_PER_MONTH:
        return 0
    if ordinal <= 30:
        return 100
    return 100 * (2 + (ordinal - 31) // 10)


def per_request_fee(earlier_items: int, items: int) -> int:
    """The 件 of this request, numbered after the `earlier_items` of the same month."""
    return sum(item_rate(n) for n in range(earlier_items + 1, earlier_items + items + 1))


def per_page_fee(pages: int) -> int:
    """Each band's pages at its rate (超额累进)."""
    banded = sum(max(0, min(pages, high) - low) * rate for low, high, rate in _PAGE_BANDS)
    return banded + max(0, pages - _PAGE_BANDS[-1][1]) * _BEYOND_PAGE_RATE


@dataclass(frozen=True)
class FeeNotice:
    basis: FeeBasis
    quantity: int  # 件 of this request (per_request) or pages (per_page)
    earlier_items: int  # per_request: 件 of the same applicant earlier in the calendar month
    amount_yuan: int
    notified_on: date
    pay_by: date
    pay_by_provisional: bool = False
    paid_on: date | None = None
    lapsed: bool = False

    @classmethod
    def issue(
        cls, basis: str, quantity: int, earlier_items: int, notified_on: date, calendar: WorkingDayCalendar
    ) -> FeeNotice:
        """The amount comes from the schedule; a notice for nothing to pay is refused."""
        chosen = FeeBasis(basis) if basis in FeeBasis.__members__.values() else None
        if chosen is None:
            raise ValidationFailed.field("fee_basis", "per_request (按件计收) or per_page (按量计收)")
        limit, unit = (MAX_ITEMS, "件 of this request") if chosen is FeeBasis.PER_REQUEST else (MAX_PAGES, "pages")
        if not 1 <= quantity <= limit:
            raise ValidationFailed.field("quantity", f"1 to {limit} ({unit})")
        if chosen is FeeBasis.PER_REQUEST:
            earlier = max(0, earlier_items)
            amount = per_request_fee(earlier, quantity)
            free = f"within the first {FREE_ITEMS_PER_MONTH} 件 of the month ({earlier} earlier): no fee"
        else:
            earlier, amount = 0, per_page_fee(quantity)
            free = f"{FREE_PAGES} pages or fewer: no fee"
        if amount == 0:
            raise ValidationFailed(FieldViolation("quantity", free))
        if amount > MAX_AMOUNT_YUAN:
            raise ValidationFailed(FieldViolation("quantity", f"the fee would exceed {MAX_AMOUNT_YUAN} 元"))
        unset = notified_on  # counted next
        return cls(chosen, quantity, earlier, amount, notified_on, unset).recounted(calendar)

    def paid(self, on: date) -> FeeNotice:
        return replace(self, paid_on=on)

    def flagged_lapsed(self) -> FeeNotice:
        return replace(self, lapsed=True)

    def lapse_withdrawn(self) -> FeeNotice:
        return replace(self, lapsed=False)

    def recounted(self, calendar: WorkingDayCalendar) -> FeeNotice:
        """The last day to pay counted again (docs/working-days.md)."""
        pay_by = calendar.add_working_days(self.notified_on, PAYMENT_WORKING_DAYS)
        return replace(self, pay_by=pay_by, pay_by_provisional=calendar.provisional_between(self.notified_on, pay_by))
