"""Totals of the ledger, computed in the database: accepted figures plus every adjustment.

All sums here are subqueries annotated onto a project queryset, so a list of
any length costs the same number of queries. They read the counted years
(CountedYear: one row per project and year), not the reports.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db.models import OuterRef, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce

from touzi.reports.choices import COUNTED
from touzi.reports.counted import MONEY_FIELD, ZERO, months_sum, range_sum, totals_of, years
from touzi.reports.models import CountedYear, MonthlyReport

__all__ = ["MONEY_FIELD", "ZERO", "counted", "since_start_including", "with_totals"]


def counted(start: dt.date | None, end: dt.date) -> Coalesce:
    """Accepted report amounts plus adjustments of the months start..end (start None: since the beginning)."""
    rows = CountedYear.objects.filter(years(start, end), project=OuterRef("pk")).order_by().values("project")
    if start is not None and start.year == end.year:
        total = rows.annotate(total=Sum(months_sum(start.month, end.month))).values("total")
    else:
        total = rows.annotate(total=Sum(range_sum(start, end))).values("total")
    return Coalesce(Subquery(total, output_field=MONEY_FIELD), ZERO, output_field=MONEY_FIELD)


def with_totals(projects: QuerySet, month: dt.date) -> QuerySet:
    """Annotate month_amount, ytd and since_start (万元) for the month."""
    return projects.annotate(
        month_amount=counted(month, month),
        ytd=counted(month.replace(month=1), month),
        since_start=counted(None, month),
    )


def since_start_including(project_id: int, month: dt.date, replacing: Decimal | None = None) -> Decimal:
    """The project's total up to the month if this month's figure were `replacing` (for the cap check)."""
    row = totals_of([project_id]).get(project_id, Decimal(0))
    if replacing is None:
        return row
    current = (MonthlyReport.objects.filter(project_id=project_id, month=month, status__in=COUNTED)
               .values_list("amount", flat=True).first()) or Decimal(0)
    return row - current + replacing
