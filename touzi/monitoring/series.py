"""Month-by-month year-to-date totals of a slice of the ledger (for lines, forecasts and their backtests)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from django.db.models import Q, Sum

from touzi.lib.numbers import money
from touzi.monitoring.ledger import prefixed
from touzi.reports.choices import COUNTED
from touzi.reports.models import Adjustment, MonthlyReport


def monthly_totals(projects: Q, first_year: int, last_year: int) -> dict[int, dict[int, Decimal]]:
    """{year: {month: that month's counted 万元}} for the years given, in two grouped queries."""
    start, end = dt.date(first_year, 1, 1), dt.date(last_year, 12, 1)
    totals: dict[int, dict[int, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    for model, column, base in ((MonthlyReport, "amount", Q(status__in=COUNTED)), (Adjustment, "delta", Q())):
        rows = (model.objects.filter(base, prefixed(projects, "project__"), month__range=(start, end))
                .order_by().values("month").annotate(total=Sum(column)))
        for row in rows:
            totals[row["month"].year][row["month"].month] += money(row["total"])
    return totals


def year_to_date(months: dict[int, Decimal], *, combine_jan_feb: bool = True) -> dict[int, Decimal]:
    """Running totals by month; with 1—2月 combined, February holds January too and January is absent."""
    running, out = Decimal(0), {}
    for month in range(1, 13):
        running += months.get(month, Decimal(0))
        if month == 1 and combine_jan_feb:
            continue
        out[month] = running
    return out
