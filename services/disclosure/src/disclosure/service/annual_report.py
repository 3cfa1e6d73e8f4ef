"""Annual report (政府信息公开工作年度报告) use cases: record the unit's own figures (and tell the stacks above),
compile the report, consolidate it with everything below."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from sunshine_kit.auth import Principal, Role, check_act, require_read, require_role
from sunshine_kit.errors import ValidationFailed
from sunshine_kit.identity import StackIdentity
from sunshine_kit.timestamps import china_date

from disclosure.domain.annual_report import AnnualReport, ReportFigures, compile_report
from disclosure.domain.consolidated_report import ConsolidatedReport, UnitFacts, consolidate
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
            await uow.publish([figures.recorded(self._clock())])
            await uow.commit()
        return figures

    async def compile(self, principal: Principal, year: int) -> AnnualReport:
        require_read(principal, self._identity.division, Role.DISCLOSURE_OFFICER, Role.LEADER, Role.EVALUATOR)
        self._check_year(year)
        async with self._unit_of_work() as uow:
            requests = await uow.requests.report_facts(year)
            catalogue = await uow.catalogue.report_facts(year)
            figures = await uow.report_figures.get(year)
        return compile_report(year, self._identity.name, self._identity.division, requests, catalogue, figures)

    async def consolidate(self, principal: Principal, year: int) -> ConsolidatedReport:
        """Tables 二, 三 and 四 for this stack and every stack below it, as far as the roll-up has brought them.
        A division below is known once anything of it has come up, or when it is a configured child."""
        require_read(principal, self._identity.division, Role.DISCLOSURE_OFFICER, Role.LEADER, Role.EVALUATOR)
        self._check_year(year)
        async with self._unit_of_work() as uow:
            own = UnitFacts(
                await uow.requests.report_facts(year),
                await uow.catalogue.report_facts(year),
                await uow.report_figures.find(year),
            )
            requests = await uow.requests_below.report_facts(year)
            catalogue = await uow.catalogue_below.report_facts(year)
            figures = await uow.figures_below.of_year(year)
            known = {child.division for child in self._identity.children}
            for projection in (uow.requests_below, uow.catalogue_below, uow.figures_below):
                known |= await projection.divisions()
        below = {d: UnitFacts(requests.get(d, []), catalogue.get(d, []), figures.get(d)) for d in known}
        return consolidate(year, self._identity.name, self._identity.division, own, below)

    def _check_year(self, year: int) -> None:
        this_year = china_date(self._clock()).year
        if not FIRST_YEAR <= year <= this_year:
            raise ValidationFailed.field("year", f"a year from {FIRST_YEAR} to {this_year}")
