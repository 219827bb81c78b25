"""Year-to-date investment against the annual plans, by domain, county, lead unit and collection.

Each breakdown is a few grouped aggregates over the counted years and the annual plans of the
projects the user may see; the number of queries does not depend on the number of projects.

Domain, county and lead-unit rows are of one project set (`touzi.monitoring.sets`): this year's months
and this year's annual plans over the set's projects of this year, the same months of last year over
its projects of last year. Their rows add up to the set's totals (`one_pass`). Collection rows are
each collection's own projects of the year; collections overlap, so those rows do not add up.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import connection
from django.db.models import BooleanField, ExpressionWrapper, F, FilteredRelation, Q, QuerySet, Sum, Value
from django.db.models.functions import Substr
from django.utils.translation import gettext as _

from touzi.lib.numbers import money
from touzi.monitoring.sets import ProjectSet
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
        "park": ["project__park_id"],
        "city": ["project__city"],
        "collection": ["project__memberships__collection_id"],
    }[dimension]


def _of_collections(collections: QuerySet | None, prefix: str) -> Q:
    return Q() if collections is None else Q(**{f"{prefix}memberships__collection__in": collections})


def _sums(projects: QuerySet, dimension: str, periods: list[tuple[dt.date, dt.date, int]],
          collections: QuerySet | None = None) -> list[dict[tuple, Decimal]]:
    """Counted sums per group for each (start, end, year) period of one year, in one grouped pass over the
    counted years with a filtered sum per period."""
    rows = CountedYear.objects.filter(project__in=projects, year__in=sorted({y for _s, _e, y in periods}))
    if dimension == "collection":
        # A membership counts in the year of the period it is summed for (or always, without a year); one filter
        # call, so that the year and the collection are of the same membership.
        rows = rows.filter((Q(project__memberships__year__isnull=True) | Q(project__memberships__year=F("year")))
                           & _of_collections(collections, "project__"))
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


# The key columns of a dimension in the one pass: (column of the projects' rows, its SQL type in the union).
_KEYS = {"domain": ("b_domain", "b_parent"), "county": ("b_county",), "lead_unit": ("b_lead",),
         "park": ("b_park",), "city": ("b_city",)}


@dataclass
class Pass:
    """What one pass over the projects gives: each dimension's (current, previous, planned) per group of the set,
    the set's totals and the totals of every project (the whole library) — one definition for all of them."""

    groups: dict[str, tuple[dict, dict, dict]]
    totals: Totals
    whole: Totals


def one_pass(projects: QuerySet, month: dt.date, pset: ProjectSet, dimensions: tuple[str, ...] = ()) -> Pass:
    """This year's and last year's counted months and this year's plan, per group of each dimension and in all,
    in one statement over the projects (each joined to at most one counted year of each and one annual plan:
    no fan-out).

    A project counts in each year's sums of the set only if the set held it that year; the whole library's
    totals count every project. The projects' rows are made once (a CTE, materialised by PostgreSQL since it is
    read several times) and grouped once per dimension, instead of one join of a million projects each.
    """
    this, last = pset.members(month.year), pset.members(month.year - 1)

    def flag(q: Q) -> ExpressionWrapper | Value:
        return ExpressionWrapper(q, output_field=BooleanField()) if q else Value(True)

    rows = (projects.order_by()
            .annotate(this_year=FilteredRelation("counted_years", condition=Q(counted_years__year=month.year)),
                      last_year=FilteredRelation("counted_years", condition=Q(counted_years__year=month.year - 1)),
                      plan=FilteredRelation("annual_plans", condition=Q(annual_plans__year=month.year)))
            .annotate(b_current=months_sum(1, month.month, "this_year__"),
                      b_previous=months_sum(1, month.month, "last_year__"),
                      b_planned=F("plan__planned_investment"), b_total=F("total_investment"),
                      b_this=flag(this), b_last=flag(last)))
    columns = ["b_current", "b_previous", "b_planned", "b_total", "b_this", "b_last"]
    keys: dict[str, Any] = {"b_domain": F("domain_id"), "b_parent": F("domain__parent_id"), "b_county": F("county_id"),
                            "b_lead": F("lead_unit_id"), "b_park": F("park_id"),
                            # a province's cities: the county's GB/T 2260 code cut to the city's four digits
                            "b_city": Substr("county__division_code", 1, 4)}
    wanted = [k for d in dimensions for k in _KEYS[d]]
    rows = rows.annotate(**{k: keys[k] for k in wanted}).values(*columns, *wanted)
    sql, params = rows.query.sql_with_params()
    sums = ("SUM(CASE WHEN b_this THEN b_current END), SUM(CASE WHEN b_last THEN b_previous END),"
            " SUM(CASE WHEN b_this THEN b_planned END)")
    # Every branch has the same columns: the dimension, two integer keys, a text key, then the figures.
    none_int, none_text = "CAST(NULL AS BIGINT)", "CAST(NULL AS VARCHAR(8))"
    branches = [f"SELECT 'total', {none_int}, {none_int}, {none_text}, {sums},"
                " SUM(CASE WHEN b_this THEN 1 ELSE 0 END), SUM(CASE WHEN b_this THEN b_total END),"
                " COUNT(*), SUM(b_total), SUM(b_current), SUM(b_previous), SUM(b_planned) FROM b"]
    tail = ", NULL, NULL, NULL, NULL, NULL, NULL, NULL"
    for d in dimensions:
        key = _KEYS[d]
        if d == "city":
            select = f"{none_int}, {none_int}, b_city"
        elif len(key) == 2:
            select = f"{key[0]}, {key[1]}, {none_text}"
        else:
            select = f"{key[0]}, {none_int}, {none_text}"
        branches.append(f"SELECT '{d}', {select}, {sums}{tail} FROM b GROUP BY {', '.join(key)}")
    groups: dict[str, tuple[dict, dict, dict]] = {d: ({}, {}, {}) for d in dimensions}
    totals = whole = Totals(0, Decimal(0), Decimal(0), Decimal(0), Decimal(0))
    with connection.cursor() as cursor:
        cursor.execute(f"WITH b AS ({sql}) " + " UNION ALL ".join(branches), params)
        for dimension, k1, k2, k3, current, previous, planned, *rest in cursor.fetchall():
            if dimension == "total":
                count, total, all_count, all_total, all_current, all_previous, all_planned = rest
                totals = Totals(int(count or 0), money(total), money(current), money(previous), money(planned))
                whole = Totals(int(all_count or 0), money(all_total), money(all_current), money(all_previous),
                               money(all_planned))
                continue
            key = (k3,) if dimension == "city" else (k1, k2) if dimension == "domain" else (k1,)
            for i, value in enumerate((current, previous, planned)):
                if value is not None:
                    groups[dimension][i][key] = money(value)
    return Pass(groups, totals, whole)


@dataclass
class Totals:
    """A set's totals over the projects a user may see: what its breakdown rows add up to (万元)."""

    count: int
    total_investment: Decimal
    ytd: Decimal
    previous: Decimal
    planned: Decimal

    @property
    def completion(self) -> Decimal | None:
        return _pct(self.ytd / self.planned * 100) if self.planned else None

    @property
    def growth(self) -> Decimal | None:
        return _pct((self.ytd / self.previous - 1) * 100) if self.previous else None

    def as_dict(self) -> dict[str, Any]:
        return {"count": self.count, "total_investment": str(self.total_investment), "ytd": str(self.ytd),
                "previous": str(self.previous), "planned": str(self.planned), "completion": _s(self.completion),
                "growth": _s(self.growth)}


def _planned(projects: QuerySet, dimension: str, year: int, collections: QuerySet | None = None) -> dict[tuple, Decimal]:
    fields = [f.removeprefix("project__") for f in _group_field(dimension)]
    rows = AnnualPlan.objects.filter(project__in=projects, year=year)
    if dimension == "collection":
        rows = rows.filter((Q(project__memberships__year__isnull=True) | Q(project__memberships__year=year))
                           & _of_collections(collections, "project__"))
    grouped = rows.order_by().values(*[f"project__{f}" for f in fields]).annotate(total=Sum("planned_investment"))
    return {tuple(r[f"project__{f}"] for f in fields): money(r["total"]) for r in grouped}


def breakdown(projects: QuerySet, dimension: str, month: dt.date, pset: ProjectSet,
              collections: QuerySet | None = None) -> list[Row]:
    """Rows for one dimension, ranked by completion of the annual plan (then by amount).

    Domain, county and lead-unit rows are of `pset`; collection rows of each collection's own projects (of
    `collections`, a plan's own, when given).
    """
    year_start = month.replace(month=1)
    last_start, last_end = year_start.replace(year=month.year - 1), month.replace(year=month.year - 1)
    if dimension == "collection":
        # A project belongs to a collection per year: the memberships decide each period's rows apart.
        periods = [(year_start, month, month.year), (last_start, last_end, month.year - 1)]
        current, previous = _sums(projects, dimension, periods, collections)
        planned = _planned(projects, dimension, month.year, collections)
    else:
        current, previous, planned = one_pass(projects, month, pset, (dimension,)).groups[dimension]
    return rows_of(dimension, current, previous, planned)


def rows_of(dimension: str, current: dict, previous: dict, planned: dict) -> list[Row]:
    """A dimension's rows from its groups' sums, ranked by completion of the annual plan (then by amount)."""
    merged: dict[int | None, list[Decimal]] = defaultdict(lambda: [Decimal(0), Decimal(0), Decimal(0)])
    for source, index in ((current, 0), (previous, 1), (planned, 2)):
        for key, value in source.items():
            # Domains roll up to their top-level domain (a key is (domain, parent)).
            group = (key[1] or key[0]) if dimension == "domain" else key[0]
            merged[group][index] += value
    labels = _labels(dimension, [k for k in merged if k is not None])
    rows = [Row(str(k if k is not None else ""), labels.get(k, "—") if k is not None else _("未指定"),
                ytd=ytd, previous=previous, planned=planned)
            for k, (ytd, previous, planned) in merged.items()]
    rows.sort(key=lambda r: (r.completion is None, -(r.completion or 0), -r.ytd))
    for i, row in enumerate(rows, 1):
        row.rank = i
    return rows


def _labels(dimension: str, ids: list[Any]) -> dict[Any, str]:
    if dimension == "city":  # keyed by the city's four digits; named by the city unit of that code
        cities = Unit.objects.filter(division_code__in=[f"{k}00" for k in ids])
        found = {u.division_code[:4]: u.label for u in cities}
        return {k: found.get(k, f"{k}00") for k in ids}
    model: type[Domain] | type[Collection] | type[Unit]
    if dimension == "domain":
        model = Domain
    elif dimension == "collection":
        model = Collection
    else:
        model = Unit
    return {obj.pk: obj.label for obj in model.objects.filter(pk__in=ids)}
