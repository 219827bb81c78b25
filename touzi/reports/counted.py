"""The counted ledger by project and year (CountedYear): how it is rewritten, and how ranges are read from it.

What counts is accepted reports plus adjustments. `refresh` recomputes the rows of the projects given from
those two tables — it never applies a delta — so whatever changed (a report accepted, corrected, returned,
moved to another month, deleted; an adjustment either way) the rows equal the source afterwards. It runs
in the transaction of the write, so a reader sees the change and its total together or neither.

Each row holds the year to date at every month, so readers turn a month range into one subtraction per
year (`range_sum`): a range of any length reads one row per project and year.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db import connection, transaction
from django.db.models import Case, DecimalField, F, Q, QuerySet, Sum, Value, When
from django.db.models.expressions import Combinable
from django.db.models.functions import ExtractYear

from touzi.lib.bulk import Listed
from touzi.reports.choices import COUNTED
from touzi.reports.models import Adjustment, CountedYear, MonthlyReport

MONEY_FIELD = DecimalField(max_digits=20, decimal_places=4)
ZERO = Value(Decimal("0"), output_field=MONEY_FIELD)
YTD = [f"ytd{i}" for i in range(1, 13)]  # January to month i
CHUNK = 5000
_COLUMNS = ", ".join(YTD)


def refresh(project_ids: Iterable[int] | QuerySet | None = None) -> None:
    """Rewrite the counted years of these projects (None: of every project) from their reports and adjustments."""
    if project_ids is not None and not isinstance(project_ids, QuerySet):
        project_ids = sorted(set(project_ids))
        if len(project_ids) > CHUNK:  # a bound on the number of parameters of one statement (SQLite)
            with transaction.atomic():
                for i in range(0, len(project_ids), CHUNK):
                    refresh(project_ids[i:i + CHUNK])
            return
        if not project_ids:
            return
    where = Q() if project_ids is None else Q(project_id__in=project_ids)
    parts: list[str] = []
    params: list[Any] = []  # what sql_with_params gives: values of any field type
    for model, column, base in ((MonthlyReport, "amount", Q(status__in=COUNTED)), (Adjustment, "delta", Q())):
        grouped = (model.objects.filter(base, where).annotate(y=ExtractYear("month")).order_by()
                   .values("project_id", "y")
                   .annotate(**{c: Sum(column, filter=Q(month__month__lte=i), default=0)
                                for i, c in enumerate(YTD, 1)}))
        sql, sql_params = grouped.query.sql_with_params()
        parts.append(sql)
        params.extend(sql_params)
    table = CountedYear._meta.db_table
    sums = ", ".join(f"SUM({c})" for c in YTD)
    with transaction.atomic():
        CountedYear.objects.filter(where).delete()
        with connection.cursor() as cursor:
            cursor.execute(
                f"WITH u (project_id, y, {_COLUMNS}) AS ({parts[0]} UNION ALL {parts[1]}) "
                f"INSERT INTO {table} (project_id, year, {_COLUMNS}) "
                f"SELECT project_id, y, {sums} FROM u GROUP BY project_id, y", params)


def totals_of(project_ids: Iterable[int]) -> dict[int, Decimal]:
    """Each project's counted total since its start (every year's December year to date), in one query."""
    rows = (CountedYear.objects.filter(project_id__in=Listed(sorted(set(project_ids)), "bigint")).order_by()
            .values("project_id").annotate(total=Sum("ytd12")).values_list("project_id", "total"))
    return dict(rows)


def months_sum(first: int, last: int, prefix: str = "") -> Combinable:
    """Months first..last of one row: its year-to-date at `last` less its year-to-date before `first`."""
    if first == 1:
        return F(f"{prefix}ytd{last}")
    return F(f"{prefix}ytd{last}") - F(f"{prefix}ytd{first - 1}")


def range_sum(start: dt.date | None, end: dt.date, prefix: str = "") -> Case:
    """A row's part of the months start..end (start None: every month up to end); 0 for a row of another year.

    `prefix` reaches CountedYear from another model ("counted_years__" from Project).
    """
    whens = []
    if start is None:
        whens.append(When(**{f"{prefix}year__lt": end.year}, then=F(f"{prefix}ytd12")))
        start = end.replace(month=1)
    for year in range(start.year, end.year + 1):
        first = start.month if year == start.year else 1
        last = end.month if year == end.year else 12
        whens.append(When(**{f"{prefix}year": year}, then=months_sum(first, last, prefix)))
    return Case(*whens, default=ZERO, output_field=MONEY_FIELD)


def years(start: dt.date | None, end: dt.date, prefix: str = "") -> Q:
    """The rows a range can read."""
    if start is None:
        return Q(**{f"{prefix}year__lte": end.year})
    return Q(**{f"{prefix}year__range": (start.year, end.year)})


def differences(project_ids: Iterable[int] | None = None) -> list[tuple[int, int]]:
    """(project, year) whose stored row differs from a recomputation: empty when the table is right."""
    expected: dict[tuple[int, int], list] = defaultdict(lambda: [0] * 12)  # year to date at each month
    where = Q() if project_ids is None else Q(project_id__in=list(project_ids))
    for model, column, base in ((MonthlyReport, "amount", Q(status__in=COUNTED)), (Adjustment, "delta", Q())):
        rows = (model.objects.filter(base, where).order_by().values("project_id", "month")
                .annotate(total=Sum(column)).values_list("project_id", "month", "total"))
        for project_id, month, total in rows:
            for i in range(month.month - 1, 12):
                expected[(project_id, month.year)][i] += total
    stored = {(r[0], r[1]): list(r[2:]) for r in CountedYear.objects.filter(where).values_list(
        "project_id", "year", *YTD)}
    keys = set(expected) | set(stored)
    return sorted(k for k in keys if [x for x in expected.get(k, [0] * 12)] != stored.get(k, [0] * 12))
