"""Everything the dashboard (and its API and exports) shows for one user, plan and month.

Every figure comes from the database in a number of queries that does not depend on the number of
projects; the few loops here run over targets, months and groups, never over projects or reports.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from functools import partial
from typing import Any

from django.db.models import Count, Q, Sum

from touzi.core.actor import Actor, System
from touzi.core.parallel import concurrently
from touzi.core.scoping import scope, scope_of
from touzi.lib.regions import prefix, projects_in
from touzi.monitoring.alerts import (
    FIRST_PAGE,
    LISTED_PROJECTS,
    Alert,
    AlertCounts,
    alert_counts,
    alert_page,
    alerts,
)
from touzi.monitoring.attainment import TO_WAN, TargetFigure, domain_subtrees, project_filter, target_figures
from touzi.monitoring.breakdowns import DIMENSIONS, Row, Totals, breakdown, one_pass, rows_of
from touzi.monitoring.forecast import DEFAULT_SHARES, Forecast, forecast_year_end
from touzi.monitoring.series import monthly_totals, year_to_date
from touzi.monitoring.sets import ProjectSet, all_projects, plan_projects, year_list
from touzi.plans.choices import Area, MeasureSource, PeriodKind
from touzi.plans.models import Plan, Target
from touzi.plans.selectors import targets_for
from touzi.projects.choices import UNDER_CONSTRUCTION
from touzi.projects.models import Project
from touzi.reports.rules import combines_jan_feb
from touzi.units.choices import UnitKind
from touzi.units.models import Unit

HISTORY_YEARS = 6


@dataclass
class Headline:
    """The annual major-project target of the month's year, with its monthly path and forecast.

    `current` is this year's list, `last_year` last year's list over the same months (上年同期): the same
    two sums the target's growth divides.
    """

    figure: TargetFigure
    current: dict[int, Decimal]  # month → year to date, in the target's unit
    last_year: dict[int, Decimal]
    plan_path: dict[int, Decimal]  # the target spread over the months by the seasonal shape
    forecast: Forecast | None
    probability: float | None


@dataclass
class Dashboard:
    plan: Plan
    month: dt.date
    figures: list[TargetFigure]
    headline: Headline | None
    forecasts: dict[str, tuple[Forecast, float]]
    breakdowns: dict[str, list[Row]]
    alerts: list[Alert]
    cards: dict[str, Any] = field(default_factory=dict)
    # The sets the figures are of (the year's list and the whole library) and their totals over the projects
    # the user may see: the domain, county and lead-unit rows add up to totals["list"].
    sets: dict[str, ProjectSet] = field(default_factory=dict)
    totals: dict[str, Totals] = field(default_factory=dict)
    # A county's (or park's) place among all counties on the list: (rank, of how many, share of the list's
    # year to date in %), for a user who answers for one.
    standing: tuple[int, int, Decimal | None] | None = None
    # Whether the user sees only part of the plan's projects (a county, a bureau, a city's office in its province's
    # plan): the set cards say 您可见部分 then.
    partial: bool = False
    # The warnings' numbers by level, kind and county: of `alerts` when it holds them all, else counted in the
    # database for a portfolio of more than LISTED_PROJECTS projects, whose `alerts` is then the first page.
    alert_summary: AlertCounts | None = None

    @property
    def alert_total(self) -> int:
        return self.alert_summary.total if self.alert_summary is not None else len(self.alerts)

    @property
    def alerts_complete(self) -> bool:
        """Whether `alerts` holds every warning (not only the first page of a large portfolio's)."""
        return self.alert_total == len(self.alerts)

    @property
    def area(self) -> str:
        """The breakdown that ranks the plan's subdivisions: its cities for a province, else its counties."""
        return "city" if "city" in self.breakdowns else "county"

    @property
    def alert_counts(self) -> dict[str, int]:
        if self.alert_summary is not None:
            return self.alert_summary.levels()
        return dict(Counter(a.level for a in self.alerts))

    @property
    def status_counts(self) -> dict[str, int]:
        return dict(Counter(f.status for f in self.figures))


def _annual(figure: TargetFigure, year: int) -> bool:
    t = figure.target
    return t.period_kind in (PeriodKind.YEAR, PeriodKind.EACH) and figure.window.year == year \
        and t.unit_of_measure in TO_WAN


# A build's monthly totals of a target's slice in a year, read once: the headline's line of last year is its
# forecast's history of last year (each a grouped pass over a year of the ledger: ~0.5 s on a nation's).
YearTotals = dict[tuple[int, int], dict[int, dict[int, Decimal]]]


def _year_totals(target: Target, year: int, subtrees: dict[int, set[int]], memo: YearTotals) -> dict[int, Decimal]:
    key = (target.pk, year)
    if key not in memo:
        memo[key] = monthly_totals(project_filter(target, (year, year), subtrees), year, year)
    return memo[key].get(year, {})


def _history(target: Target, month: dt.date, subtrees: dict[int, set[int]],
             memo: YearTotals) -> dict[int, dict[int, float]]:
    """Past years' year-to-date path of the target's slice (each year with its own yearly list)."""
    first = month.year - HISTORY_YEARS
    factor = TO_WAN[target.unit_of_measure]
    combined = combines_jan_feb(month.year)
    history: dict[int, dict[int, float]] = {}
    for year in range(first, month.year):
        totals = {year: _year_totals(target, year, subtrees, memo)}
        if totals.get(year):
            ytd = year_to_date(totals[year], combine_jan_feb=combined)
            if ytd.get(12):
                history[year] = {m: float(v / factor) for m, v in ytd.items() if m >= 2}
    return history


def _forecast(figure: TargetFigure, month: dt.date, subtrees: dict[int, set[int]],
              memo: YearTotals) -> tuple[Forecast, float] | None:
    if not 2 <= month.month <= 11 or not figure.value or figure.value <= 0:
        return None
    target = figure.target
    history = _history(target, month, subtrees, memo) if target.measure_source == MeasureSource.LEDGER else {}
    forecast = forecast_year_end(history, month.year, month.month, float(figure.value))
    return forecast, forecast.probability_at_least(float(target.value))


def _headline(figures: list[TargetFigure], month: dt.date, subtrees: dict[int, set[int]],
              forecasts: dict[str, tuple[Forecast, float]], memo: YearTotals) -> Headline | None:
    candidates = [f for f in figures if f.target.area == Area.OVERALL and f.target.measure_source == MeasureSource.LEDGER
                  and _annual(f, month.year)]
    if not candidates:
        return None
    figure = candidates[0]
    target = figure.target
    factor = TO_WAN[target.unit_of_measure]
    year, previous = month.year, month.year - 1
    # Each year over its own list: last year's line is what last year's briefings published.
    this_totals = _year_totals(target, year, subtrees, memo)
    last_totals = _year_totals(target, previous, subtrees, memo)
    combined = combines_jan_feb(month.year)
    current = {m: v / factor for m, v in year_to_date(this_totals, combine_jan_feb=combined).items()
               if m <= month.month}
    last_year = {m: v / factor for m, v in year_to_date(last_totals, combine_jan_feb=combined).items()}
    plan_path = {m: (target.value * Decimal(str(share))).quantize(Decimal("0.01")) for m, share in DEFAULT_SHARES.items()}
    # The headline target is an annual ledger target of this year: its forecast is among the board's already.
    found = forecasts.get(target.key) or _forecast(figure, month, subtrees, memo)
    return Headline(figure, current, last_year, plan_path, found[0] if found else None, found[1] if found else None)


def build(user: Actor, plan: Plan, month: dt.date, *, with_alerts: bool = True) -> Dashboard:
    projects = plan_projects(user, plan)  # a plan covers its region only
    sets = {"list": year_list(plan, month.year), "all": all_projects()}
    # A province's plan ranks its cities first, then the counties.
    dimensions = (("city",) if plan.level == "province" else ()) + DIMENSIONS
    # The list's breakdowns and totals and the whole library's totals are one pass over the projects, read on a
    # second connection while this one sums the targets (the two biggest statements of a build: two cores).
    passing = concurrently(partial(one_pass, projects.all(), month, sets["list"], dimensions,
                                   plan.collections.all()))
    targets = list(targets_for(user, plan))
    figures = target_figures(plan, month, targets)
    subtrees = domain_subtrees({t.measure_domain_id for t in targets if t.measure_domain_id})
    forecasts = {}
    memo: YearTotals = {}
    for figure in figures:
        if _annual(figure, month.year) and figure.target.measure_source == MeasureSource.LEDGER:
            found = _forecast(figure, month, subtrees, memo)
            if found:
                forecasts[figure.target.key] = found
    headline = _headline(figures, month, subtrees, forecasts, memo)
    cards = projects.aggregate(
        total=Sum("total_investment"),
        under_way=Sum(1, filter=Q(stage__in=UNDER_CONSTRUCTION), default=0),
        projects=Count("pk"),
    )
    # The warnings are counted while the one pass may still run (their kinds shared out between both connections).
    listed, summary = _alerts(user, plan, month, cards.pop("projects")) if with_alerts else ([], None)
    done = passing.result()
    breakdowns = {dimension: rows_of(dimension, *done.groups[dimension]) for dimension in dimensions}
    assert not sets["all"].collection_id and sets["all"].floor is None  # every project: the cards below
    totals = {"list": done.totals, "all": done.whole}
    # The whole library's totals over the user's projects are the cards' count, year to date and annual plans
    # (one pass, already made; asking again cost a nation ~6 s of a second pass over the counted years).
    whole = totals["all"]
    cards["count"], cards["ytd"], cards["planned"] = whole.count, whole.ytd, whole.planned
    return Dashboard(plan, month, figures, headline, forecasts, breakdowns, listed, cards, sets, totals,
                     _standing(user, plan, month, sets["list"], totals["list"]), _partial(user, plan), summary)


def _alerts(user: Actor, plan: Plan, month: dt.date, projects: int) -> tuple[list[Alert], AlertCounts]:
    """Every warning with their counts; for more than LISTED_PROJECTS projects, their counts from the database
    and the first page (a nation's ~300,000 warnings are read a page at a time: the warnings page)."""
    if projects <= LISTED_PROJECTS:
        found = alerts(user, plan, month)
        return found, AlertCounts.of(found)
    counts = alert_counts(user, plan, month)
    return alert_page(user, plan, month, counts, 0, FIRST_PAGE), counts


def _partial(user: Actor, plan: Plan) -> bool:
    who = scope_of(user)
    if not who.everything:
        return True
    return bool(who.region) and not prefix(plan.region_code).startswith(who.region or "")


def _standing(user: Actor, plan: Plan, month: dt.date, pset: ProjectSet,
              own: Totals) -> tuple[int, int, Decimal | None] | None:
    """Where the user's county stands among all counties on the list (rank by completion, share of the total)."""
    who = scope_of(user)
    if who.everything or not who.unit_ids:
        return None
    counties = set(Unit.objects.filter(pk__in=who.unit_ids, kind=UnitKind.COUNTY).values_list("pk", flat=True))
    if len(counties) != 1:
        return None
    (county,) = counties
    rows = breakdown(scope(System("region ranking"), Project.objects.filter(projects_in(plan.region_code))), "county", month, pset)
    mine = next((r for r in rows if r.key == str(county)), None)
    if mine is None:
        return None
    whole = sum((r.ytd for r in rows), Decimal(0))
    share = (own.ytd / whole * 100).quantize(Decimal("0.01")) if whole else None
    return mine.rank, len(rows), share
