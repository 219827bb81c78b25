"""Month-by-month year-to-date totals of a slice of the ledger (for lines, forecasts and their backtests)."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from django.db.models import Q, Sum

from touzi.lib.numbers import money
from touzi.monitoring.ledger import prefixed
from touzi.reports.counted import YTD
from touzi.reports.models import CountedYear


def monthly_totals(projects: Q, first_year: int, last_year: int) -> dict[int, dict[int, Decimal]]:
    """{year: {month: that month's counted 万元}} for the years given, in one grouped query of the counted years."""
    totals: dict[int, dict[int, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    rows = (CountedYear.objects.filter(prefixed(projects, "project__"), year__range=(first_year, last_year))
            .order_by().values("year").annotate(**{c: Sum(c) for c in YTD}))
    for row in rows:
        before = Decimal(0)
        for i, c in enumerate(YTD, 1):
            # Year-to-date sums add up like the rows: a month's total is the difference of two of them.
            # django-stubs type the row with the values() keys only, not those annotated from a dict (**{...}).
            value = money(row[c]) - before  # type: ignore[literal-required]
            before += value
            if value:
                totals[row["year"]][i] += value
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
