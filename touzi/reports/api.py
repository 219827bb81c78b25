from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated

from annotated_types import MaxLen
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema
from pydantic import ConfigDict

from touzi.core.http import TouziRequest
from touzi.core.scoping import Action
from touzi.lib.apischema import Limit, Money, Offset, Period, SignedMoney, Text, errors
from touzi.lib.errors import BusinessError
from touzi.lib.periods import month_of
from touzi.projects.api import if_match
from touzi.projects.selectors import visible_projects
from touzi.reports.models import MonthlyReport
from touzi.reports.selectors import report_list, visible_reports
from touzi.reports.services import accept_report, adjust, lock_month, report_month, return_report

router = Router(tags=["reports"])


class ReportOut(Schema):
    id: int
    project: int
    project_code: str | None
    period: str
    amount: Decimal
    progress: str
    problems: str
    status: str
    flags: list[str]
    return_reason: str
    evidence: list[str]
    version: int


class ReportIn(Schema):
    model_config = ConfigDict(extra="forbid")

    project: int
    period: Period = Field(..., description="YYYY-MM; February stands for 1—2月 where the plan combines them")
    amount: Money = Field(..., description="本月完成投资,万元")
    progress: Text = ""
    problems: Text = ""


class CorrectionIn(Schema):
    model_config = ConfigDict(extra="forbid")

    amount: Money
    progress: Text = ""
    problems: Text = ""


class ReturnIn(Schema):
    reason: Text


class AdjustmentIn(Schema):
    model_config = ConfigDict(extra="forbid")

    period: Period
    delta: SignedMoney
    reason: Text


class AdjustmentOut(Schema):
    id: int
    project: int
    period: Period
    delta: SignedMoney
    reason: Text


class LockOut(Schema):
    period: str
    locked_at: dt.datetime


def _month(value: str) -> dt.date:
    try:
        return month_of(value)
    except ValueError as exc:
        raise BusinessError(str(exc), field="period") from exc


def report_out(r: MonthlyReport) -> dict:
    return {"id": r.pk, "project": r.project_id, "project_code": r.project.code, "period": r.period,
            "amount": r.amount, "progress": r.progress, "problems": r.problems, "status": r.status,
            "flags": r.flags, "return_reason": r.return_reason,
            "evidence": [e.original_name for e in r.evidence.all()], "version": r.version}


def _get(request: TouziRequest, pk: int, action: Action = Action.VIEW) -> MonthlyReport:
    return get_object_or_404(visible_reports(request.user, action).select_related("project"), pk=pk)


@router.get("/reports", response={200: list[ReportOut], **errors(400, 422)}, summary="月报列表(按权限范围)")
def list_reports(request: TouziRequest, period: Period | None = None, status: Annotated[Text, MaxLen(16)] = "", county: Annotated[Text, MaxLen(64)] = "",
                 q: Annotated[Text, MaxLen(100)] = "", offset: Offset = 0, limit: Limit = 100):
    rows = report_list(request.user, month=_month(period) if period else None, status=status, county=county, q=q)
    return [report_out(r) for r in rows.prefetch_related("evidence")[offset:offset + limit]]


@router.get("/reports/{pk}", response={200: ReportOut, **errors(404, 422)}, summary="月报详情")
def get_report(request: TouziRequest, pk: int):
    return report_out(_get(request, pk))


@router.post("/reports", response={201: ReportOut, **errors(400, 403, 404, 409, 422)}, summary="填报月报(同一项目同一月只能一份)")
def post_report(request: TouziRequest, body: ReportIn):
    project = get_object_or_404(visible_projects(request.user), pk=body.project)
    report = report_month(project, _month(body.period), body.amount, progress=body.progress,
                          problems=body.problems, actor=request.user, must_be_new=True)
    return 201, report_out(_get(request, report.pk))


@router.put("/reports/{pk}", response={200: ReportOut, **errors(400, 403, 404, 412, 422)}, summary="更正并重新报送(If-Match: 版本号)")
def put_report(request: TouziRequest, pk: int, body: CorrectionIn):
    report = _get(request, pk)
    report_month(report.project, report.month, body.amount, progress=body.progress, problems=body.problems,
                 actor=request.user, expected_version=if_match(request))
    return report_out(_get(request, pk))


@router.post("/reports/{pk}/accept", response={200: ReportOut, **errors(400, 403, 404, 422)}, summary="审核通过(统计局)")
def post_accept(request: TouziRequest, pk: int):
    accept_report(_get(request, pk), actor=request.user)
    return report_out(_get(request, pk))


@router.post("/reports/{pk}/return", response={200: ReportOut, **errors(400, 403, 404, 422)}, summary="退回并说明原因(统计局)")
def post_return(request: TouziRequest, pk: int, body: ReturnIn):
    return_report(_get(request, pk), body.reason, actor=request.user)
    return report_out(_get(request, pk))


@router.post("/months/{period}/lock", response={201: LockOut, **errors(400, 403, 422)}, summary="锁定月份")
def post_lock(request: TouziRequest, period: Period):
    lock = lock_month(_month(period), actor=request.user)
    return 201, {"period": f"{lock.month:%Y-%m}", "locked_at": lock.locked_at}


@router.post("/projects/{pk}/adjustments", response={201: AdjustmentOut, **errors(400, 403, 404, 422)}, summary="对已锁定月份提交调整")
def post_adjustment(request: TouziRequest, pk: int, body: AdjustmentIn):
    project = get_object_or_404(visible_projects(request.user), pk=pk)
    item = adjust(project, _month(body.period), body.delta, body.reason, actor=request.user)
    return 201, {"id": item.pk, "project": project.pk, "period": f"{item.month:%Y-%m}", "delta": item.delta,
                 "reason": item.reason}
