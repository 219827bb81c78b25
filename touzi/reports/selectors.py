"""Read queries for monthly reports, through the scoping function."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import (
    Count,
    DecimalField,
    ExpressionWrapper,
    F,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce, ExtractYear
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


def default_year() -> int:
    """The year a yearly page opens on: that of the default month (the latest reported), so that a ledger whose
    figures end before today (a finished plan, the demo) opens on its last year rather than an empty one."""
    return default_month().year


def year_from(request: HttpRequest) -> int:
    """`?year=YYYY` when a plausible year, else the default year (the yearly pages' twin of month_from)."""
    text = request.GET.get("year", "")
    return int(text) if text.isdigit() and 2000 <= int(text) <= 2100 else default_year()


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


def with_review_context(qs: QuerySet[MonthlyReport]) -> QuerySet[MonthlyReport]:
    """Beside each report, for the reviewer: the three months before (whatever their status), the year's accepted
    total before this month, and the project's annual plan for the year — all computed in the database."""
    from touzi.projects.models import AnnualPlan

    def amount_before(months: int) -> Subquery:
        # the month `months` before, as a date computed per row would need database date arithmetic on each
        # backend; the reports of the project before this month, newest first, offset by `months - 1`, are the same
        # when every month was reported, and the page labels them with their own months.
        return Subquery(MonthlyReport.objects.filter(project=OuterRef("project"), month__lt=OuterRef("month"))
                        .order_by("-month").values("amount")[months - 1:months])

    def month_before(months: int) -> Subquery:
        return Subquery(MonthlyReport.objects.filter(project=OuterRef("project"), month__lt=OuterRef("month"))
                        .order_by("-month").values("month")[months - 1:months])

    year_before = Subquery(
        MonthlyReport.objects.filter(project=OuterRef("project"), month__lt=OuterRef("month"),
                                     month__year=OuterRef("report_year"), status=ReportStatus.ACCEPTED)
        .values("project").annotate(total=Sum("amount")).values("total")[:1])
    plan = Subquery(AnnualPlan.objects.filter(project=OuterRef("project"), year=OuterRef("report_year"))
                    .values("planned_investment")[:1])
    money = DecimalField(max_digits=18, decimal_places=4)
    return (qs.annotate(report_year=ExtractYear("month"))
            .annotate(prev1=amount_before(1), prev1_month=month_before(1), prev2=amount_before(2),
                      prev2_month=month_before(2), prev3=amount_before(3), prev3_month=month_before(3),
                      year_before=year_before, annual_plan=plan)
            .annotate(year_with=ExpressionWrapper(F("amount") + _or_zero("year_before"), output_field=money)))


def _or_zero(name: str) -> Coalesce:
    return Coalesce(F(name), Value(0), output_field=DecimalField(max_digits=18, decimal_places=4))


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
