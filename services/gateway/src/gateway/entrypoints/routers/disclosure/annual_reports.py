"""The annual report (政府信息公开工作年度报告): the unit's own figures, this stack's report and the consolidated
one of the stacks below."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Request, Response
from pydantic import BaseModel, Field
from sunshine.disclosure.v1 import disclosure_pb2 as pb
from sunshine_kit.auth import Role
from sunshine_kit.rpc.client import call

from gateway.entrypoints.auth import Caller, staff_with
from gateway.entrypoints.contract import Count, Int32
from gateway.entrypoints.routers.disclosure.stub import stub

router = APIRouter()
FiguresRecorder = Annotated[Caller, Depends(staff_with(Role.DISCLOSURE_OFFICER))]
ReportReader = Annotated[Caller, Depends(staff_with(Role.DISCLOSURE_OFFICER, Role.LEADER, Role.EVALUATOR))]


class Figures(BaseModel):
    licensing_decisions: Count = Field(0, description="表二 行政许可 本年处理决定数量")
    penalty_decisions: Count = Field(0, description="表二 行政处罚 本年处理决定数量")
    enforcement_decisions: Count = Field(0, description="表二 行政强制 本年处理决定数量")
    fees_ten_thousand_yuan: str = Field("0", description="表二 行政事业性收费 本年收费金额（万元）")
    review_and_litigation: list[Count] = Field(
        default_factory=lambda: [0] * 15,
        description="表四: 行政复议, 直接起诉, 复议后起诉 × 结果维持, 结果纠正, 其他结果, 尚未审结, 总计",
    )


@router.put("/annual-reports/{year}/figures", summary="The unit's own figures for tables 二 and 四")
async def record_figures(year: Int32, figures: Figures, caller: FiguresRecorder, request: Request) -> Figures:
    message = pb.RecordReportFiguresRequest(figures=pb.ReportFigures(year=year, **figures.model_dump()))
    reply = await call(stub(request).RecordReportFigures, message, caller.metadata)
    stored = reply.figures
    return Figures(
        licensing_decisions=stored.licensing_decisions,
        penalty_decisions=stored.penalty_decisions,
        enforcement_decisions=stored.enforcement_decisions,
        fees_ten_thousand_yuan=stored.fees_ten_thousand_yuan,
        review_and_litigation=list(stored.review_and_litigation),
    )


@router.get(
    "/annual-reports/{year}",
    summary="政府信息公开工作年度报告: tables 二, 三, 四 as JSON, XLSX or printable HTML",
    response_class=Response,
)
async def annual_report(
    year: Int32, caller: ReportReader, request: Request, format: Literal["json", "xlsx", "html"] = "json"
) -> Response:
    message = pb.ExportAnnualReportRequest(year=year, format=pb.ReportFormat.Value(f"REPORT_FORMAT_{format.upper()}"))
    reply = await call(stub(request).ExportAnnualReport, message, caller.metadata)
    disposition = "inline" if format != "xlsx" else "attachment"
    headers = {"Content-Disposition": f'{disposition}; filename="{reply.filename}"'}
    return Response(reply.content, media_type=reply.content_type, headers=headers)


@router.get(
    "/annual-reports/{year}/consolidated",
    summary="Consolidated tables 二, 三, 四 of this stack and every stack below it (as far as the roll-up has synced), "
    "with the divisions counted, as JSON, XLSX or printable HTML",
    response_class=Response,
)
async def consolidated_annual_report(
    year: Int32, caller: ReportReader, request: Request, format: Literal["json", "xlsx", "html"] = "json"
) -> Response:
    report_format = pb.ReportFormat.Value(f"REPORT_FORMAT_{format.upper()}")
    message = pb.ExportConsolidatedAnnualReportRequest(year=year, format=report_format)
    reply = await call(stub(request).ExportConsolidatedAnnualReport, message, caller.metadata)
    disposition = "inline" if format != "xlsx" else "attachment"
    headers = {"Content-Disposition": f'{disposition}; filename="{reply.filename}"'}
    return Response(reply.content, media_type=reply.content_type, headers=headers)
