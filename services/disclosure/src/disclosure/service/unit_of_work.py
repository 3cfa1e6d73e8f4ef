from __future__ import annotations

from sunshine_kit.unit_of_work import UnitOfWork

from disclosure.adapters.catalogue_below_repository import CatalogueBelowRepository
from disclosure.adapters.catalogue_repository import CatalogueRepository
from disclosure.adapters.decision_repository import DecisionRepository
from disclosure.adapters.figures_below_repository import FiguresBelowRepository
from disclosure.adapters.request_repository import ReportFiguresRepository, RequestRepository
from disclosure.adapters.requests_below_repository import RequestsBelowRepository


class DisclosureUnitOfWork(UnitOfWork):
    catalogue: CatalogueRepository
    decisions: DecisionRepository
    requests: RequestRepository
    report_figures: ReportFiguresRepository
    requests_below: RequestsBelowRepository
    catalogue_below: CatalogueBelowRepository
    figures_below: FiguresBelowRepository

    async def __aenter__(self) -> DisclosureUnitOfWork:
        await super().__aenter__()
        self.catalogue = CatalogueRepository(self.session)
        self.decisions = DecisionRepository(self.session)
        self.requests = RequestRepository(self.session)
        self.report_figures = ReportFiguresRepository(self.session)
        self.requests_below = RequestsBelowRepository(self.session)
        self.catalogue_below = CatalogueBelowRepository(self.session)
        self.figures_below = FiguresBelowRepository(self.session)
        return self
