"""Year-to-date investment against the annual plans, by domain, county, lead unit and collection.

Each breakdown is a few grouped aggregates over the counted years and the annual plans of the
projects the user may see; the number of queries does not depend on the number of projects.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import F, FilteredRelation, Q, QuerySet, Sum
from django.utils.translation import gettext as _

from touzi.lib.numbers import money
from touzi.plans.models import Collection, Domain
from touzi.projects.models import AnnualPlan
from touzi.reports.counted import months_sum
from touzi.reports.models import CountedYear
from touzi.units.models import Unit

DIMENSIONS = ("domain", "county", "lead_unit", "collection")


@dataclass
class Row:
    key: str
    label: str
    ytd: Decimal  # 万元
    previous: Decimal  # same months last year, 万元
    planned: Decimal  # the year's planned investment, 万元
    rank: int = 0

    @property
    def completion(self) -> Decimal | None:
        return _pct(self.ytd / self.planned * 100) if self.planned else None

    @property
    def growth(self) -> Decimal | None:
        return _pct((self.ytd / self.previous - 1) * 100) if self.previous else None

    def as_dict(self) -> dict[str, Any]:
        return {"key": self.key, "label": self.label, "ytd": str(self.ytd), "previous": str(self.previous),
                "planned": str(self.planned), "completion": _s(self.completion), "growth": _s(self.growth),
                "rank": self.rank}


def _pct(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _s(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def _group_field(dimension: str) -> list[str]:
    return {
        "domain": ["project__domain_id", "project__domain__parent_id"],
        "county": ["project__county_id"],
        "lead_unit": ["project__lead_unit_id"],
        "collection": ["project__memberships__collection_id"],
    }[dimension]


def _sums(projects: QuerySet, dimension: str, periods: list[tuple[dt.date, dt.date, int]]) -> list[dict[tuple, Decimal]]:
    """Counted sums per group for each (start, end, year) period of one year, in one grouped pass over the
    counted years with a filtered sum per period."""
    rows = CountedYear.objects.filter(project__in=projects, year__in=sorted({y for _s, _e, y in periods}))
    if dimension == "collection":
        # A membership counts in the year of the period it is summed for (or always, without a year).
        rows = rows.filter(Q(project__memberships__year__isnull=True) | Q(project__memberships__year=F("year")))
    fields = _group_field(dimension)
    totals = {f"p{i}": Sum(months_sum(start.month, end.month), filter=Q(year=year))
              for i, (start, end, year) in enumerate(periods)}
    grouped = rows.order_by().values(*fields).annotate(**totals)
    out: list[dict[tuple, Decimal]] = [{} for _ in periods]
    for r in grouped:
        for i in range(len(periods)):
            if r[f"p{i}"] is not None:
                out[i][tuple(r[f] for f in fields)] = money(r[f"p{i}"])
    return out


def _one_pass(projects: QuerySet, dimension: str, month: dt.date) -> tuple[dict, dict, dict]:
    """This year's and last year's counted months and this year's plan per group, in one grouped pass over
    the projects, each joined to at most one counted year of each and one annual plan (no fan-out)."""
    fields = [f.removeprefix("project__") for f in _group_field(dimension)]
    rows = (projects.order_by()
            .annotate(this_year=FilteredRelation("counted_years", condition=Q(counted_years__year=month.year)),
                      last_year=FilteredRelation("counted_years", condition=Q(counted_years__year=month.year - 1)),
                      plan=FilteredRelation("annual_plans", condition=Q(annual_plans__year=month.year)))
            .values(*fields)
            .annotate(current=Sum(months_sum(1, month.month, "this_year__")),
                      previous=Sum(months_sum(1, month.month, "last_year__")),
                      planned=Sum("plan__planned_investment")))
    out: tuple[dict, dict, dict] = ({}, {}, {})
    for r in rows:
        key = tuple(r[f] for f in fields)
        for i, name in enumerate(("current", "previous", "planned")):
            if r[name] is not None:
                out[i][key] = money(r[name])
    return out


def _planned(projects: QuerySet, dimension: str, year: int) -> dict[tuple, Decimal]:
    fields = [f.removeprefix("project__") for f in _group_field(dimension)]
    rows = AnnualPlan.objects.filter(project__in=projects, year=year)
    if dimension == "collection":
        rows = rows.filter(Q(project__memberships__year__isnull=True) | Q(project__memberships__year=year))
    grouped = rows.order_by().values(*[f"project__{f}" for f in fields]).annotate(total=Sum("planned_investment"))
    return {tuple(r[f"project__{f}"] for f in fields): money(r["total"]) for r in grouped}


def breakdown(projects: QuerySet, dimension: str, month: dt.date) -> list[Row]:
    """Rows for one dimension, ranked by completion of the annual plan (then by amount)."""
    year_start = month.replace(month=1)
    last_start, last_end = year_start.replace(year=month.year - 1), month.replace(year=month.year - 1)
    if dimension == "collection":
        # A project belongs to a collection per year: the memberships decide each period's rows apart.
        periods = [(year_start, month, month.year), (last_start, last_end, month.year - 1)]
        current, previous = _sums(projects, dimension, periods)
        planned = _planned(projects, dimension, month.year)
    else:
        current, previous, planned = _one_pass(projects, dimension, month)
    merged: dict[int | None, list[Decimal]] = defaultdict(lambda: [Decimal(0), Decimal(0), Decimal(0)])
    for source, index in ((current, 0), (previous, 1), (planned, 2)):
        for key, value in source.items():
            # Domains roll up to their top-level domain (a key is (domain, parent)).
            group = (key[1] or key[0]) if dimension == "domain" else key[0]
            merged[group][index] += value
    labels = _labels(dimension, [k for k in merged if k is not None])
    rows = [Row(str(k if k is not None else ""), labels.get(k, "—") if k is not None else _("未指定"), *values)
            for k, values in merged.items()]
    rows.sort(key=lambda r: (r.completion is None, -(r.completion or 0), -r.ytd))
    for i, row in enumerate(rows, 1):
        row.rank = i
    return rows


def _labels(dimension: str, ids: list[int]) -> dict[int, str]:
    model = {"domain": Domain, "collection": Collection}.get(dimension, Unit)
    return {obj.pk: obj.label for obj in model.objects.filter(pk__in=ids)}
