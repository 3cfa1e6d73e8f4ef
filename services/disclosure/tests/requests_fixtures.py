"""Shared builders for the request tests."""

from __future__ import annotations

from datetime import date, datetime

from disclosure.domain.applicants import Applicant, ApplicantType, Channel
from disclosure.domain.disclosure_request import DisclosureRequest, Intake
from sunshine_kit.timestamps import CHINA_TIME
from sunshine_kit.working_days import WorkingDayCalendar

CALENDAR = WorkingDayCalendar()
DIVISION = "510104"
TODAY = date(2026, 11, 27)
NOW = datetime(2026, 11, 27, 10, 0, tzinfo=CHINA_TIME)
NAME, PHONE, ID_NUMBER, ADDRESS = "张小明", "13812345678", "510104199001011234", "四川省成都市锦江区某街道1号"


def intake(applicant_type: ApplicantType | None = ApplicantType.NATURAL_PERSON, **changes: str) -> Intake:
    applicant = Applicant(applicant_type, NAME, PHONE, ID_NUMBER, ADDRESS)
    fields = {"description": "2025年锦江区老旧小区改造资金使用情况", **changes}
    return Intake(applicant, fields["description"])


def received(on: date, channel: Channel = Channel.IN_PERSON, **kwargs: object) -> DisclosureRequest:
    request, _code = DisclosureRequest.receive(intake(**kwargs), DIVISION, channel, on, NOW, TODAY, CALENDAR)  # type: ignore[arg-type]
    return request
