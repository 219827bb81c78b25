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

from django.db import connections
from django.db.models import BooleanField, ExpressionWrapper, F, FilteredRelation, Q, QuerySet, Value
from django.db.models.functions import Substr
from django.utils.translation import gettext as _

from touzi.lib.numbers import money
from touzi.monitoring.sets import ProjectSet
from touzi.plans.models import Collection, Domain
from touzi.projects.models import Membership
from touzi.reports.counted import months_sum
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


# What each dimension groups the projects' rows by (a column `k_<dimension>` of the one pass).
_KEYS = {"domain": F("domain_id"), "county": F("county_id"), "lead_unit": F("lead_unit_id"), "park": F("park_id"),
         # a province's cities: the county's GB/T 2260 code cut to the city's four digits
         "city": Substr("county__division_code", 1, 4)}


@dataclass
class Pass:
    """What one pass over the projects gives: each dimension's (current, previous, planned) per group of the set,
    the set's totals and the totals of every project (the whole library) — one definition for all of them."""

    groups: dict[str, tuple[dict, dict, dict]]
    totals: Totals
    whole: Totals


def one_pass(projects: QuerySet, month: dt.date, pset: ProjectSet, dimensions: tuple[str, ...] = (),
             collections: QuerySet | None = None) -> Pass:
    """This year's and last year's counted months and this year's plan, per group of each dimension and in all,
    in one statement over the projects (each joined to at most one counted year of each and one annual plan:
    no fan-out).

    A project counts in each year's sums of the set only if the set held it that year; the whole library's
    totals count every project. The projects' rows are made once (a CTE, materialised by PostgreSQL since it is
    read several times) and grouped once per dimension, instead of one join of a million projects each.

    Collection rows are each collection's own projects of the year (of `collections`, a plan's own, when given;
    every collection otherwise): see _collections_branch.
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
    keys = {f"k_{d}": _KEYS[d] for d in dimensions if d != "collection"}
    rows = rows.annotate(b_id=F("id"), **keys).values("b_id", *columns, *keys)
    # Read where the queryset reads (a replica when the router sends reads there), compiled for that database.
    database = rows.db
    sql, params = rows.query.get_compiler(using=database).as_sql()
    sums = ("SUM(CASE WHEN b_this THEN b_current END), SUM(CASE WHEN b_last THEN b_previous END),"
            " SUM(CASE WHEN b_this THEN b_planned END)")
    # Every branch has the same columns: the dimension, an integer key, a text key, then the figures.
    none_int, none_text = "CAST(NULL AS BIGINT)", "CAST(NULL AS VARCHAR(8))"
    branches = [f"SELECT 'total', {none_int}, {none_text}, {sums},"
                " SUM(CASE WHEN b_this THEN 1 ELSE 0 END), SUM(CASE WHEN b_this THEN b_total END),"
                " COUNT(*), SUM(b_total), SUM(b_current), SUM(b_previous), SUM(b_planned) FROM b"]
    tail = ", NULL, NULL, NULL, NULL, NULL, NULL, NULL"
    if "collection" in dimensions:
        branches.append(_collections_branch(month.year, collections, none_text, tail))
    for d in dimensions:
        if d == "collection":
            continue
        select = f"{none_int}, k_city" if d == "city" else f"k_{d}, {none_text}"
        branches.append(f"SELECT '{d}', {select}, {sums}{tail} FROM b GROUP BY k_{d}")
    groups: dict[str, tuple[dict, dict, dict]] = {d: ({}, {}, {}) for d in dimensions}
    totals = whole = Totals(0, Decimal(0), Decimal(0), Decimal(0), Decimal(0))
    with connections[database].cursor() as cursor:
        cursor.execute(f"WITH b AS ({sql}) " + " UNION ALL ".join(branches), params)
        for dimension, number, text, current, previous, planned, *rest in cursor.fetchall():
            if dimension == "total":
                count, total, all_count, all_total, all_current, all_previous, all_planned = rest
                totals = Totals(int(count or 0), money(total), money(current), money(previous), money(planned))
                whole = Totals(int(all_count or 0), money(all_total), money(all_current), money(all_previous),
                               money(all_planned))
                continue
            key = (text,) if dimension == "city" else (number,)
            for i, value in enumerate((current, previous, planned)):
                if value is not None:
                    groups[dimension][i][key] = money(value)
    return Pass(groups, totals, whole)


def _collections_branch(year: int, collections: QuerySet | None, none_text: str, tail: str) -> str:
    """Each collection's row: its projects of this year and of last year, as the project sets decide membership
    (a membership for that year or for every year). The memberships are first reduced to one row per project and
    collection, so a project listed for every year and for this year counts once; one join and one grouping for
    all collections."""
    ids = sorted(int(pk) for pk in (collections if collections is not None else Collection.objects.all())
                 .values_list("pk", flat=True))
    table = Membership._meta.db_table
    members = (f"SELECT project_id, collection_id,"
               f" MAX(CASE WHEN year IS NULL OR year = {year:d} THEN 1 ELSE 0 END) AS now,"
               f" MAX(CASE WHEN year IS NULL OR year = {year - 1:d} THEN 1 ELSE 0 END) AS before"
               f" FROM {table} WHERE collection_id IN ({', '.join(map(str, ids)) or 'NULL'})"
               " GROUP BY project_id, collection_id")
    return (f"SELECT 'collection', m.collection_id, {none_text}, SUM(CASE WHEN m.now = 1 THEN b_current END),"
            " SUM(CASE WHEN m.before = 1 THEN b_previous END), SUM(CASE WHEN m.now = 1 THEN b_planned END)"
            f"{tail} FROM b JOIN ({members}) m ON m.project_id = b.b_id GROUP BY m.collection_id")


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


def breakdown(projects: QuerySet, dimension: str, month: dt.date, pset: ProjectSet,
              collections: QuerySet | None = None) -> list[Row]:
    """Rows for one dimension, ranked by completion of the annual plan (then by amount).

    Domain, county and lead-unit rows are of `pset`; collection rows of each collection's own projects (of
    `collections`, a plan's own, when given).
    """
    current, previous, planned = one_pass(projects, month, pset, (dimension,), collections).groups[dimension]
    return rows_of(dimension, current, previous, planned)


def rows_of(dimension: str, current: dict, previous: dict, planned: dict) -> list[Row]:
    """A dimension's rows from its groups' sums, ranked by completion of the annual plan (then by amount)."""
    merged: dict[int | None, list[Decimal]] = defaultdict(lambda: [Decimal(0), Decimal(0), Decimal(0)])
    # Domains roll up to their top-level domain (铁路 → 综合交通 → 基础设施), so no row holds part of another.
    root = _roots() if dimension == "domain" else {}
    for source, index in ((current, 0), (previous, 1), (planned, 2)):
        for key, value in source.items():
            merged[root.get(key[0], key[0])][index] += value
    labels = _labels(dimension, [k for k in merged if k is not None])
    rows = [Row(str(k if k is not None else ""), labels.get(k, "—") if k is not None else _("未指定"),
                ytd=ytd, previous=previous, planned=planned)
            for k, (ytd, previous, planned) in merged.items()]
    rows.sort(key=lambda r: (r.completion is None, -(r.completion or 0), -r.ytd))
    for i, row in enumerate(rows, 1):
        row.rank = i
    return rows


def _roots() -> dict[int, int]:
    """Each domain's top-level domain (the tree is small: one query)."""
    parents = dict(Domain.objects.values_list("id", "parent_id"))

    def root(node: int) -> int:
        seen = {node}
        while parents.get(node) and parents[node] not in seen:
            node = parents[node]
            seen.add(node)
        return node

    return {d: root(d) for d in parents}


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
