from __future__ import annotations

from datetime import UTC, datetime

from fastapi import APIRouter, Request
from pydantic import BaseModel, Field
from sunshine_kit.auth import Role, require_read
from sunshine_kit.calendar_coverage import coverage
from sunshine_kit.timestamps import china_date
from sunshine_kit.working_days import InvalidCalendarOverride

from gateway.entrypoints.auth import StaffCaller

router = APIRouter(prefix="/api/v1", tags=["stack"])


def utc_now() -> datetime:
    return datetime.now(UTC)


class ChildView(BaseModel):
    division: str
    name: str


class StackView(BaseModel):
    division: str
    level: str
    name: str
    parent_division: str | None
    children: list[ChildView]


class YearCoverageView(BaseModel):
    year: int
    source: str = Field(description="chinesecalendar, override file, or provisional (预计: statutory days only)")
    official: bool


class CalendarView(BaseModel):
    today: str
    override_file: str = Field(description="SUNSHINE_CALENDAR_OVERRIDE_FILE; empty when none is configured")
    years: list[YearCoverageView] = Field(description="This year and next")
    warnings: list[str] = Field(description="From 1 October: next year not officially covered, and what to do")
    error: str = Field(description="The override file cannot be used (the services keep the schedule they had)")


@router.get("/stack", summary="This stack's division, level, name, parent and children")
async def stack(request: Request) -> StackView:
    identity = request.app.state.identity
    return StackView(
        division=identity.division,
        level=identity.level.value,
        name=identity.name,
        parent_division=identity.parent_division,
        children=[ChildView(division=c.division, name=c.name) for c in identity.children],
    )


@router.get("/stack/calendar", summary="Which years the working-day calendar covers officially; warnings (operator)")
async def calendar(caller: StaffCaller, request: Request) -> CalendarView:
    require_read(caller.principal, request.app.state.identity.division, Role.STACK_OPERATOR)
    working_days = request.app.state.calendar
    try:
        working_days.reload()
        error = ""
    except InvalidCalendarOverride as invalid:
        error = str(invalid)
    report = coverage(working_days, china_date(utc_now()))
    return CalendarView(
        today=report.today.isoformat(),
        override_file=report.override_file,
        years=[YearCoverageView(year=y.year, source=y.source, official=y.official) for y in report.years],
        warnings=list(report.warnings),
        error=error,
    )
