"""Attainment of every target at a month: value, % of target, 序时进度, gap, same-period growth and status.

Ledger targets sum the ledger in the database (two queries for all targets together); indicator
targets take the values their unit reported (one query). Nothing loops over projects or reports.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, TypedDict

from django.db.models import Q

from touzi.indicators.models import IndicatorValue
from touzi.lib.regions import projects_in
from touzi.monitoring.choices import Status
from touzi.monitoring.ledger import Slice, ledger_sums
from touzi.monitoring.periods import Window, window
from touzi.monitoring.settings import thresholds
from touzi.plans.choices import Comparator, MeasureSource, Metric, PeriodKind, ScopeKind
from touzi.plans.models import Domain, Plan, Target
from touzi.projects.models import Membership

HUNDRED = Decimal(100)
# Units the ledger (万元) converts to; anything else is not an amount of money.
TO_WAN = {"万元": Decimal(1), "亿元": Decimal(10000), "元": Decimal("0.0001")}
RATE_METRICS = {Metric.GROWTH, Metric.SHARE}


@dataclass
class TargetFigure:
    """One target's figures at a month, in the target's own unit."""

    target: Target
    window: Window
    value: Decimal | None = None
    same: Decimal | None = None  # this year's months of the window (the whole value for a yearly target)
    previous: Decimal | None = None  # the same months of last year
    status: str = Status.NO_DATA
    source: str = ""
    detail: dict = field(default_factory=dict)

    @property
    def attainment(self) -> Decimal | None:
        if self.value is None or not self.target.value:
            return None
        return _pct(self.value / self.target.value * HUNDRED)

    @property
    def elapsed(self) -> Decimal | None:
        if self.is_rate or not self.window.started:
            return None
        return _pct(self.window.elapsed * HUNDRED)

    @property
    def gap(self) -> Decimal | None:
        """Points above (+) or below (−) 序时进度."""
        if self.attainment is None or self.elapsed is None:
            return None
        return self.attainment - self.elapsed

    @property
    def growth(self) -> Decimal | None:
        """This year's months against the same months of last year (for a cumulative target: this year's part)."""
        if self.is_rate or self.same is None or not self.previous:
            return None
        return _pct((self.same / self.previous - 1) * HUNDRED)

    @property
    def get_status_label(self) -> str:
        return str(Status(self.status).label)

    @property
    def is_rate(self) -> bool:
        return self.target.metric in RATE_METRICS or self.target.period_kind == PeriodKind.END

    def as_dict(self) -> dict:
        t = self.target
        return {
            "key": t.key, "name": t.name, "area": t.area, "period": t.period, "unit": t.unit_of_measure,
            "comparator": t.comparator, "target": _plain(t.value), "value": _plain(self.value),
            "attainment": _plain(self.attainment), "elapsed": _plain(self.elapsed), "gap": _plain(self.gap),
            "previous": _plain(self.previous), "growth": _plain(self.growth), "status": self.status,
            "source": self.source, "window": [f"{self.window.start:%Y-%m}", f"{self.window.end:%Y-%m}"],
            **({"average_of": [{"year": y["year"], "growth": _plain(y["growth"])} for y in self.detail["years"]]}
               if self.detail.get("method") == "average" else {}),
            **({"counties": [{"county": c["key"], "value": _plain(c["value"]), "met": c["met"]}
                             for c in self.detail["counties"]]}
               if self.detail.get("method") == "each_county" else {}),
        }


def _pct(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _plain(value: Decimal | None) -> str | None:
    return None if value is None else format(value.normalize(), "f")


def _meets(value: Decimal, target: Target) -> bool:
    meets: dict[str, bool] = {
        Comparator.GTE: value >= target.value, Comparator.GT: value > target.value, Comparator.EQ: value == target.value,
        Comparator.LTE: value <= target.value, Comparator.LT: value < target.value,
    }
    return meets[target.comparator]


def _status(figure: TargetFigure, yellow: Decimal, red: Decimal) -> str:
    target = figure.target
    if target.measure_source == MeasureSource.RULE:
        return Status.NOT_MEASURED
    if figure.value is None or not figure.window.started:
        return Status.NO_DATA
    if target.comparator in (Comparator.LTE, Comparator.LT):
        return Status.ON_TRACK if _meets(figure.value, target) else Status.AT_RISK
    if figure.is_rate:
        # A growth, share or level is judged on its value; once its period is over, it was met or it was not.
        over = figure.window.elapsed >= 1
        if _meets(figure.value, target):
            return Status.MET if over else Status.ON_TRACK
        if over:
            return Status.MISSED
        ratio = figure.value / target.value if target.value else Decimal(0)
    else:
        if _meets(figure.value, target):
            return Status.MET
        if figure.window.elapsed >= 1:
            return Status.MISSED
        ratio = (figure.value / target.value) / figure.window.elapsed if target.value else Decimal(0)
    if ratio >= yellow:
        return Status.ON_TRACK
    return Status.BEHIND if ratio >= red else Status.AT_RISK


def domain_subtrees(domain_ids: Iterable[int]) -> dict[int, set[int]]:
    """Each domain with every domain below it (one query; the tree is small)."""
    parents = dict(Domain.objects.values_list("id", "parent_id"))
    children: dict[int, set[int]] = defaultdict(set)
    for child, parent in parents.items():
        if parent:
            children[parent].add(child)

    def below(node: int) -> set[int]:
        found = {node}
        for child in children[node]:
            found |= below(child)
        return found

    return {d: below(d) for d in domain_ids}


def project_filter(target: Target, years: tuple[int, int], subtrees: dict[int, set[int]]) -> Q:
    """Which projects a ledger target counts, as the plan file declares it: those of the plan's region only."""
    q = projects_in(target.plan.region_code)
    if target.measure_domain_id:
        q &= Q(domain_id__in=sorted(subtrees[target.measure_domain_id]))
    if target.measure_collection_id:
        members = Membership.objects.filter(collection_id=target.measure_collection_id).filter(
            Q(year__isnull=True) | Q(year__range=years)).values("project_id")
        q &= Q(id__in=members)
    if target.measure_county_id:
        q &= Q(county_id=target.measure_county_id)
    if target.measure_unit_id:
        q &= Q(lead_unit_id=target.measure_unit_id)
    return q


def _convert(wan: Decimal, unit: str) -> Decimal | None:
    factor = TO_WAN.get(unit)
    return None if factor is None else wan / factor


def target_figures(plan: Plan, month: dt.date, targets: Iterable[Target]) -> list[TargetFigure]:
    """Figures for the given targets of `plan` at `month`, in a number of queries that does not grow."""
    targets = list(targets)
    for target in targets:  # project_filter reads the plan's region: give each target its plan, no query each
        if target.plan_id == plan.pk:
            target.plan = plan
    yellow, red = thresholds(plan)
    figures = [TargetFigure(t, window(t.period_kind, t.period_start, t.period_end, month)) for t in targets]
    subtrees = domain_subtrees({t.measure_domain_id for t in targets if t.measure_domain_id})
    slices: dict[str, Slice] = {}
    for i, f in enumerate(figures):
        t = f.target
        if t.measure_source != MeasureSource.LEDGER or not f.window.started:
            continue
        if t.metric not in RATE_METRICS and t.unit_of_measure not in TO_WAN:
            continue
        # Growth is always this year's months against the same months of last year.
        same, last = _growth_windows(f.window, t, month)
        yearly = t.period_kind in (PeriodKind.YEAR, PeriodKind.EACH)
        if average_growth(t):
            # 年均增长: each year of the window against the same months of the year before, each over its list.
            for year, part in year_parts(f.window):
                slices[f"g{i}:{year}"] = Slice(project_filter(t, (year, year), subtrees), part.start, part.end)
                before = part.previous()
                slices[f"h{i}:{year}"] = Slice(project_filter(t, (year - 1, year - 1), subtrees), before.start,
                                               before.end)
            continue
        for key, part_slice in value_slices(t, f.window, subtrees).items():
            slices[f"c{i}{key}"] = part_slice
        if not (yearly and same == f.window):  # a year's target: this year's part is the value itself
            slices[f"s{i}"] = Slice(project_filter(t, (same.year, same.year), subtrees), same.start, same.end)
        slices[f"p{i}"] = Slice(project_filter(t, (last.year, last.year), subtrees), last.start, last.end)
    sums = ledger_sums(slices)
    values_of = _collect(sums)
    wanted = [f.target.indicator_id for f in figures] + [f.target.base_indicator_id for f in figures]
    values = _indicator_values(plan, [i for i in wanted if i], month)
    by_county = _county_values(figures, month)
    for i, f in enumerate(figures):
        t = f.target
        if t.measure_source == MeasureSource.LEDGER and f"g{i}" in values_of:
            f.source = "ledger"
            base_series = values.get(t.base_indicator_id, []) if t.base_indicator_id is not None else []
            _average_growth_figure(f, values_of[f"g{i}"], values_of[f"h{i}"], base_series)
        elif t.measure_source == MeasureSource.LEDGER and f"c{i}" in values_of:
            f.source = "ledger"
            counted = sum(values_of[f"c{i}"].values(), Decimal(0))
            same_ytd = sums.get(f"s{i}", counted)
            previous_ytd: Decimal | None = sums[f"p{i}"]
            if t.metric == Metric.GROWTH:
                if not previous_ytd and t.base_indicator_id:
                    previous_ytd = _base_value(t, values.get(t.base_indicator_id, []), month)
                f.value = _pct((same_ytd / previous_ytd - 1) * HUNDRED) if previous_ytd else None
                f.detail = {"ytd": same_ytd, "previous_ytd": previous_ytd}
            else:
                f.value = _convert(counted, t.unit_of_measure)
                f.same, f.previous = _convert(same_ytd, t.unit_of_measure), _convert(sums[f"p{i}"], t.unit_of_measure)
        elif t.measure_source == MeasureSource.INDICATOR and t.indicator_id:
            f.source = "indicator"
            series = values.get(t.indicator_id, [])
            if t.scope_kind == ScopeKind.COUNTY and t.scope_unit_id and by_county.get((t.indicator_id, t.scope_unit_id)):
                series = by_county[(t.indicator_id, t.scope_unit_id)]  # the county's own values, if it has any
            f.value = _indicator_figure(t, series, f.window)
            if t.scope_kind == ScopeKind.COUNTY and t.scope_group_id and not t.scope_unit_id:
                f.value, f.detail = _each_county(t, by_county, f.window)
                series = []
            if average_growth(t):
                f.value, f.detail = _average_of_reported(series, f.window)
            if f.window.started and series:
                same, last = _growth_windows(f.window, t, month)
                f.same = _indicator_figure(t, series, same) if same != f.window else f.value
                f.previous = _indicator_figure(t, series, last)
        elif t.measure_source == MeasureSource.RULE:
            f.source = "rule"
        elif t.measure_source in (MeasureSource.PROMOTION, MeasureSource.FINANCING):
            # a register of an app above (touzi.promotion, touzi.financing), registered in monitoring.extensions
            from touzi.monitoring.extensions import measure_for

            f.source = t.measure_source
            measure = measure_for(t.measure_source)
            if measure is not None:
                f.value, f.detail = measure(plan, t, f.window, month)
        f.status = _status(f, yellow, red)
    return figures


def average_growth(target: Target) -> bool:
    """A growth target over several years is 年均增长: the average of the years' growth, not this year's."""
    return target.metric == Metric.GROWTH and target.period_kind == PeriodKind.RANGE


def year_parts(span: Window) -> list[tuple[int, Window]]:
    """The window cut at year ends: each year with its months inside the window."""
    parts = []
    for year in range(span.start.year, span.end.year + 1):
        start = max(span.start, dt.date(year, 1, 1))
        end = min(span.end, dt.date(year, 12, 1))
        parts.append((year, Window(start, end, span.elapsed, True, year)))
    return parts


def value_slices(target: Target, span: Window, subtrees: dict[int, set[int]]) -> dict[str, Slice]:
    """The slices a ledger target's value adds up: one, or one per year when a yearly list decides membership.

    A project on the 2021 list but not on the 2022 one counts its 2021 months only.
    """
    yearly = target.period_kind in (PeriodKind.YEAR, PeriodKind.EACH)
    if yearly or target.measure_collection_id is None:
        years = (span.year, span.year) if yearly else (target.period_start, target.period_end)
        return {"": Slice(project_filter(target, years, subtrees), span.start, span.end)}
    return {f":{year}": Slice(project_filter(target, (year, year), subtrees), part.start, part.end)
            for year, part in year_parts(span)}


def _collect(sums: dict[str, Decimal]) -> dict[str, dict[str, Decimal]]:
    """Sums of split slices ("c3:2021", "c3:2022" …, or plain "c3") gathered under their figure ("c3")."""
    out: dict[str, dict[str, Decimal]] = defaultdict(dict)
    for key, value in sums.items():
        head, _sep, year = key.partition(":")
        out[head][year] = value
    return out


class _LedgerYear(TypedDict):
    """One year of a 年均增长 from the ledger (figure.detail["years"])."""

    year: int
    value: Decimal
    previous: Decimal
    exact: Decimal | None
    growth: Decimal | None


class _ReportedYear(TypedDict):
    """One year of a 年均增长 from a reported growth rate: its latest value."""

    year: int
    month: str
    growth: Decimal


def geometric_mean_growth(growths: list[Decimal]) -> Decimal:
    """The average yearly growth (%) of consecutive yearly growths (%): (Π(1 + g))^(1/n) − 1."""
    product = Decimal(1)
    for growth in growths:
        product *= 1 + growth / HUNDRED
    if product <= 0:
        return Decimal(-100)
    return (product ** (Decimal(1) / len(growths)) - 1) * HUNDRED


def _average_growth_figure(figure: TargetFigure, current: dict[str, Decimal], before: dict[str, Decimal],
                           base_series: list[tuple]) -> None:
    """年均增长 from the ledger: each year of the window over the same months of the year before.

    A year whose year before has no ledger (the plan's first year) compares with the base-year indicator
    when the year is complete; otherwise that year has no growth yet and is left out (and said so).
    """
    years: list[_LedgerYear] = []
    for year_text, amount in sorted(current.items()):
        year = int(year_text)
        previous = before.get(year_text, Decimal(0))
        if not previous and year == figure.window.start.year and figure.target.base_indicator_id:
            complete = year < figure.window.end.year or figure.window.end.month == 12
            previous = (_base_value(figure.target, base_series, dt.date(year, 12, 1)) or Decimal(0)) \
                if complete else Decimal(0)
        exact = (amount / previous - 1) * HUNDRED if previous else None
        years.append({"year": year, "value": amount, "previous": previous, "exact": exact,
                      "growth": None if exact is None else _pct(exact)})
    known = [y["exact"] for y in years if y["exact"] is not None]  # rounded only for display
    figure.value = _pct(geometric_mean_growth(known)) if known else None
    figure.detail = {"years": years, "method": "average"}
    last = years[-1] if years else None
    if last is not None:
        figure.same, figure.previous = last["value"], last["previous"] or None


def _average_of_reported(series: list[tuple], span: Window) -> tuple[Decimal | None, dict]:
    """年均增长 from a reported growth rate (year to date, %): each year's latest value, averaged geometrically."""
    latest: dict[int, tuple[dt.date, Decimal]] = {}
    for when, value in series:
        if span.start <= when <= span.end:
            latest[when.year] = (when, value)
    years: list[_ReportedYear] = [{"year": year, "month": f"{when:%Y-%m}", "growth": value} for year, (when, value) in sorted(latest.items())]
    if not years:
        return None, {"years": [], "method": "average"}
    return _pct(geometric_mean_growth([y["growth"] for y in years])), {"years": years, "method": "average"}


def _growth_windows(span: Window, target: Target, month: dt.date) -> tuple[Window, Window]:
    """The months of this year inside the window, and the same months one year earlier."""
    if target.period_kind in (PeriodKind.YEAR, PeriodKind.EACH):
        return span, span.previous()
    end = span.end
    same = Window(end.replace(month=1), end, span.elapsed, True, end.year)
    return same, same.previous()


def _base_value(target: Target, series: list[tuple], month: dt.date) -> Decimal | None:
    """Last year's total from the base-year indicator (万元), when the ledger has no last year to compare.

    Only a whole year compares with an annual base: at December the growth is this year / base − 1.
    """
    if month.month != 12:
        return None
    base = target.base_indicator
    unit = TO_WAN.get(base.unit_of_measure) if base else None
    for when, value in series:
        if when.year == month.year - 1 and unit is not None:
            return value * unit
    return None


def _county_values(figures: list[TargetFigure], month: dt.date) -> dict[tuple[int, int], list[tuple]]:
    """Each county's own values of the indicators behind county targets, (indicator, county) -> series (one
    query; none when no target is a county's)."""
    wanted = {f.target.indicator_id for f in figures if f.target.measure_source == MeasureSource.INDICATOR
              and f.target.indicator_id and f.target.scope_kind == ScopeKind.COUNTY}
    if not wanted:
        return {}
    rows = (IndicatorValue.objects.filter(indicator_id__in=wanted, month__lte=month, county__isnull=False,
                                          domain__isnull=True)
            .order_by("indicator_id", "county_id", "month").values_list("indicator_id", "county_id", "month", "value"))
    found: dict[tuple[int, int], list[tuple]] = defaultdict(list)
    for indicator_id, county_id, when, value in rows:
        found[(indicator_id, county_id)].append((when, value))
    return found


def county_members(target: Target) -> list[tuple[int, str]]:
    """The counties a county target names (id, key): its one county or its group's members."""
    if target.scope_unit is not None:
        return [(target.scope_unit.pk, target.scope_unit.key)]
    if target.scope_group is not None:
        return list(target.scope_group.members.order_by("division_code", "key").values_list("id", "key"))
    return []


def _each_county(target: Target, by_county: dict[tuple[int, int], list[tuple]],
                 span: Window) -> tuple[Decimal | None, dict]:
    """A target every county of a group must meet ("县(区)每年安排2000万元以上"): each county's own figure; the
    target's value is the weakest county's (it is met when every county meets it). A county with no value
    counts as not reported and keeps the target from being met."""
    counties: list[dict[str, Any]] = []
    reported: list[Decimal] = []
    indicator_id = target.indicator_id or 0
    for county_id, key in county_members(target):
        value = _indicator_figure(target, by_county.get((indicator_id, county_id), []), span)
        counties.append({"county": county_id, "key": key, "value": value,
                         "met": value is not None and _meets(value, target)})
        if value is not None:
            reported.append(value)
    if not reported:
        return None, {"counties": counties}
    rising = target.comparator in (Comparator.GTE, Comparator.GT)
    lowest = min(reported) if rising else max(reported)
    if len(reported) < len(counties) and rising:
        lowest = min(lowest, Decimal(0))
    return lowest, {"counties": counties, "method": "each_county"}


def _indicator_values(plan: Plan, indicator_ids: list[int], month: dt.date) -> dict[int, list[tuple]]:
    # The whole plan's values (a county's or a domain's own value is a part, kept beside them).
    rows = (IndicatorValue.objects.filter(indicator_id__in=set(indicator_ids), month__lte=month,
                                          county__isnull=True, domain__isnull=True)
            .order_by("indicator_id", "month").values_list("indicator_id", "month", "value"))
    found: dict[int, list[tuple]] = defaultdict(list)
    for indicator_id, when, value in rows:
        found[indicator_id].append((when, value))
    return found


def _indicator_figure(target: Target, series: list[tuple], span: Window) -> Decimal | None:
    """Reported values are year-to-date: a year's figure is its latest value; a range adds up its years."""
    if not span.started:
        return None
    inside = [(when, value) for when, value in series if span.start <= when <= span.end]
    if target.period_kind == PeriodKind.END or target.metric in RATE_METRICS:
        return inside[-1][1] if inside else None
    if target.period_kind == PeriodKind.RANGE:
        latest: dict[int, Decimal] = {}
        for when, value in inside:
            latest[when.year] = value
        return sum(latest.values(), Decimal(0)) if latest else None
    return inside[-1][1] if inside else None
