from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse

from touzi.core.http import TouziRequest
from touzi.imports.exports import export_projects, export_reports
from touzi.projects.selectors import ProjectFilters
from touzi.reports.selectors import month_from

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_response(content: bytes, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{name}"
    return response


@login_required
def projects_xlsx(request: TouziRequest) -> HttpResponse:
    month = month_from(request)
    content = export_projects(request.user, ProjectFilters.from_query(request.GET, plan=request.plan), month)
    return xlsx_response(content, f"projects-{dt.date.today():%Y%m%d}.xlsx")


@login_required
def reports_xlsx(request: TouziRequest) -> HttpResponse:
    month = month_from(request) if request.GET.get("month") else None
    content = export_reports(request.user, month=month, status=request.GET.get("status", ""),
                             county=request.GET.get("county", ""), q=(request.GET.get("q") or "").strip())
    return xlsx_response(content, f"reports-{dt.date.today():%Y%m%d}.xlsx")
