"""Read queries for monthly reports, through the scoping function."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Max, Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone

from touzi.core.actor import Actor
from touzi.core.scoping import Action, scope
from touzi.lib.periods import add_months, month_of
from touzi.reports.choices import ReportStatus
from touzi.reports.models import Adjustment, MonthLock, MonthlyReport


def default_month() -> dt.date:
    """The latest month with reported figures (the month a user most likely wants), else last month."""
    latest = MonthlyReport.objects.aggregate(m=Max("month"))["m"]
    return latest or add_months(timezone.localdate().replace(day=1), -1)


def month_from(request: HttpRequest) -> dt.date:
    """`?month=YYYY-MM` when valid, else the default month."""
    try:
        return month_of(request.GET.get("month", ""))
    except ValueError:
        return default_month()


def visible_reports(user: Actor, action: Action = Action.VIEW) -> QuerySet[MonthlyReport]:
    return scope(user, MonthlyReport.objects.all(), action)


def report_list(user: Actor, *, month: dt.date | None, status: str = "", county: str = "", q: str = "",
                review_queue: bool = False) -> QuerySet[MonthlyReport]:
    qs = visible_reports(user, Action.REVIEW if review_queue else Action.VIEW)
    if month is not None:
        qs = qs.filter(month=month)
    if status:
        qs = qs.filter(status=status)
    if county:
        qs = qs.filter(Q(project__county__key=county) | Q(project__park__key=county))
    if q:
        qs = qs.filter(Q(project__name__icontains=q) | Q(project__code__icontains=q))
    return qs.select_related("project", "project__county", "project__owner").order_by("-month", "project__name")


def month_overview(user: Actor, months: int = 12) -> list[dict[str, Any]]:
    """Per month: reports by status and whether the month is locked, newest first."""
    end = default_month()
    start = add_months(end, -(months - 1))
    counts = (visible_reports(user).filter(month__range=(start, end)).values("month")
              .annotate(total=Count("id"),
                        submitted=Count("id", filter=Q(status=ReportStatus.SUBMITTED)),
                        returned=Count("id", filter=Q(status=ReportStatus.RETURNED)),
                        accepted=Count("id", filter=Q(status=ReportStatus.ACCEPTED)),
                        draft=Count("id", filter=Q(status=ReportStatus.DRAFT))))
    by_month = {row["month"]: row for row in counts}
    locks = dict(MonthLock.objects.filter(month__range=(start, end)).values_list("month", "locked_at"))
    rows = []
    month = end
    while month >= start:
        row = by_month.get(month, {"total": 0, "submitted": 0, "returned": 0, "accepted": 0, "draft": 0})
        rows.append({"month": month, **row, "locked_at": locks.get(month)})
        month = add_months(month, -1)
    return rows


def adjustments_of(user: Actor, project: Any) -> QuerySet[Adjustment]:
    return scope(user, Adjustment.objects.filter(project=project)).select_related("created_by")
