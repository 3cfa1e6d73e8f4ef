"""Annual report (政府信息公开工作年度报告) use cases: record the unit's own figures, compile the report."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from sunshine_kit.auth import Principal, Role, check_act, check_read, require_role
from sunshine_kit.errors import ValidationFailed
from sunshine_kit.identity import StackIdentity
from sunshine_kit.timestamps import china_date

from disclosure.domain.annual_report import AnnualReport, ReportFigures, compile_report
from disclosure.domain.consolidated_report import ConsolidatedReport, consolidate
from disclosure.service.unit_of_work import DisclosureUnitOfWork

FIRST_YEAR = 2008  # the first Regulations took effect on 2008-05-01


class AnnualReportService:
    def __init__(
        self, unit_of_work: Callable[[], DisclosureUnitOfWork], identity: StackIdentity, clock: Callable[[], datetime]
    ) -> None:
        self._unit_of_work = unit_of_work
        self._identity = identity
        self._clock = clock

    async def record_figures(self, principal: Principal, figures: ReportFigures) -> ReportFigures:
        require_role(principal, Role.DISCLOSURE_OFFICER)
        check_act(principal, self._identity.division)
        self._check_year(figures.year)
        figures.validated()
        async with self._unit_of_work() as uow:
            await uow.report_figures.put(figures)
            await uow.commit()
        return figures

    async def compile(self, principal: Principal, year: int) -> AnnualReport:
        require_role(principal, Role.DISCLOSURE_OFFICER, Role.LEADER, Role.EVALUATOR)
        check_read(principal, self._identity.division)
        self._check_year(year)
        async with self._unit_of_work() as uow:
            requests = await uow.requests.report_facts(year)
            catalogue = await uow.catalogue.report_facts(year)
            figures = await uow.report_figures.get(year)
        return compile_report(year, self._identity.name, self._identity.division, requests, catalogue, figures)

    async def consolidate(self, principal: Principal, year: int) -> ConsolidatedReport:
        """Table 三 for this stack and every stack below it, as far as the roll-up has brought their requests."""
        require_role(principal, Role.DISCLOSURE_OFFICER, Role.LEADER, Role.EVALUATOR)
        check_read(principal, self._identity.division)
        self._check_year(year)
        async with self._unit_of_work() as uow:
            own = await uow.requests.report_facts(year)
            below = await uow.requests_below.report_facts(year)
        return consolidate(year, self._identity.name, self._identity.division, own, below)

    def _check_year(self, year: int) -> None:
        this_year = china_date(self._clock()).year
        if not FIRST_YEAR <= year <= this_year:
            raise ValidationFailed.field("year", f"a year from {FIRST_YEAR} to {this_year}")
