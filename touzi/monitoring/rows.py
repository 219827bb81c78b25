"""The rows behind a target's figure (数出有据): the same definition as the figure, row by row.

For an amount from the ledger the rows are the projects with what each counted in the target's window,
in the target's unit and unrounded, so that they add up to the figure exactly; a project on a yearly list
counts only the months of the years it was listed. For a growth from the ledger each project carries this
year's months and the same months of last year (in 万元), the two sums the growth divides. For an indicator
the rows are the values reported in the window.

The web drill-down, `GET /api/v1/plans/{key}/targets/{target}/rows` and `touzi status --target KEY --rows`
all call `target_rows`. A user who may not see every project gets the rows of the projects they may see
and one line for the rest (how many, how much), so the rows still add up to the figure.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet, Sum

from touzi.core.actor import Actor, System
from touzi.core.scoping import scope, scope_of
from touzi.indicators.models import IndicatorValue
from touzi.lib.numbers import money
from touzi.lib.regions import projects_in
from touzi.monitoring.attainment import (
    TO_WAN,
    TargetFigure,
    average_growth,
    domain_subtrees,
    project_filter,
    target_figures,
    value_slices,
    year_parts,
)
from touzi.monitoring.ledger import Slice, prefixed
from touzi.monitoring.periods import Window
from touzi.plans.choices import MeasureSource, Metric
from touzi.plans.models import Plan, Target
from touzi.projects.models import Project
from touzi.reports.counted import range_sum
from touzi.reports.models import CountedYear
from touzi.units.models import unit_labels


@dataclass
class TargetRows:
    figure: TargetFigure
    kind: str  # "projects" (amounts), "growth" (this year and last year per project), "indicator" or "none"
    rows: list[dict[str, Any]] = field(default_factory=list)
    hidden: dict[str, Any] | None = None  # the projects the user may not see: {"count", "value"}

    def as_dict(self) -> dict[str, Any]:
        return {"target": self.figure.as_dict(), "kind": self.kind, "rows": self.rows, "hidden": self.hidden}


def _plain(value: Decimal | None) -> str | None:
    return None if value is None else format(value.normalize(), "f") if value else "0"


WHOLE = System("rows of the whole installation")  # a reader without an account (commands, exports)


def target_rows(plan: Plan, month: dt.date, target: Target, user: Actor = WHOLE) -> TargetRows:
    figure = target_figures(plan, month, [target])[0]
    if not figure.window.started or target.measure_source == MeasureSource.RULE:
        return TargetRows(figure, "none")
    if target.measure_source == MeasureSource.INDICATOR:
        return TargetRows(figure, "indicator", _indicator_rows(target, figure.window, user))
    if target.metric == Metric.GROWTH:
        return _growth_rows(figure, user)
    if target.unit_of_measure not in TO_WAN:
        return TargetRows(figure, "none")
    return _amount_rows(figure, user)


def _per_project(slices: dict[str, Slice], projects: QuerySet) -> dict[int, Decimal]:
    """Each project's sum over the slices (万元): one grouped query over the counted years."""
    if not slices:
        return {}
    first = min(s.start for s in slices.values())
    last = max(s.end for s in slices.values())
    rows = (CountedYear.objects.filter(project__in=projects, year__range=(first.year, last.year)).order_by()
            .values("project_id")
            .annotate(**{f"v{i}": Sum(range_sum(s.start, s.end), filter=prefixed(s.projects, "project__") or None)
                         for i, s in enumerate(slices.values())}))
    found: dict[int, Decimal] = {}
    for row in rows:
        # money(): SQLite adds decimals as floats; back to the ledger's four places, as every sum is.
        # django-stubs type the row with the values() keys only, not those annotated from a dict (**{...}).
        total = sum((money(row[f"v{i}"]) for i in range(len(slices))), Decimal(0))  # type: ignore[literal-required]
        if total:
            found[row["project_id"]] = total
    return found


def _project_rows(amounts: dict[int, Decimal], extra: dict[int, dict[str, Any]] | None = None) -> list[dict]:
    details = Project.objects.filter(pk__in=list(amounts)).values_list("pk", "code", "name", "county_id")
    found = {pk: (code, name, county) for pk, code, name, county in details}
    labels = unit_labels({county for _c, _n, county in found.values()})
    rows = []
    for pk, value in sorted(amounts.items(), key=lambda item: (-item[1], item[0])):
        code, name, county = found[pk]
        rows.append({"project": code, "id": pk, "name": name, "county": labels.get(county, ""),
                     "value": _plain(value), **(extra or {}).get(pk, {})})
    return rows


def _visible(user: Actor, plan: Plan) -> tuple[QuerySet, bool]:
    """The plan's projects the user may see, and whether that is all of them."""
    who = scope_of(user)
    return scope(user, Project.objects.filter(projects_in(plan.region_code))), who.everything and not who.region


def _amount_rows(figure: TargetFigure, user: Actor) -> TargetRows:
    target = figure.target
    factor = TO_WAN[target.unit_of_measure]
    subtrees = domain_subtrees([target.measure_domain_id] if target.measure_domain_id else [])
    slices = value_slices(target, figure.window, subtrees)
    visible, everything = _visible(user, figure.target.plan)
    amounts = {pk: wan / factor for pk, wan in _per_project(slices, visible).items()}
    result = TargetRows(figure, "projects", _project_rows(amounts))
    if not everything:
        result.hidden = _hidden(figure, slices, visible, sum(amounts.values(), Decimal(0)), factor)
    return result


def _hidden(figure: TargetFigure, slices: dict[str, Slice], visible: QuerySet, shown: Decimal,
            factor: Decimal) -> dict[str, Any]:
    """The projects behind the figure that the user may not see: how many and how much (target's unit)."""
    unseen = Project.objects.filter(projects_in(figure.target.plan.region_code)).exclude(pk__in=visible.values("pk"))
    amounts = _per_project(slices, unseen)
    value = (figure.value or Decimal(0)) - shown
    return {"count": len(amounts), "value": _plain(value)}


def _growth_rows(figure: TargetFigure, user: Actor) -> TargetRows:
    """Per project: the months counted this year and the same months last year (万元), each over its year's set."""
    target = figure.target
    subtrees = domain_subtrees([target.measure_domain_id] if target.measure_domain_id else [])
    parts = year_parts(figure.window) if average_growth(target) else [(figure.window.end.year, _this_year(figure))]
    visible, everything = _visible(user, figure.target.plan)
    current: dict[str, Slice] = {}
    before: dict[str, Slice] = {}
    for year, part in parts:
        current[str(year)] = Slice(project_filter(target, (year, year), subtrees), part.start, part.end)
        earlier = part.previous()
        before[str(year)] = Slice(project_filter(target, (year - 1, year - 1), subtrees), earlier.start, earlier.end)
    this = _per_project(current, visible)
    last = _per_project(before, visible)
    ids = set(this) | set(last)
    rows = _project_rows({pk: this.get(pk, Decimal(0)) for pk in ids},
                         {pk: {"previous": _plain(last.get(pk, Decimal(0)))} for pk in ids})
    result = TargetRows(figure, "growth", rows)
    if not everything:
        unseen = Project.objects.filter(projects_in(target.plan.region_code)).exclude(pk__in=visible.values("pk"))
        result.hidden = {"count": len(set(_per_project(current, unseen)) | set(_per_project(before, unseen)))}
    return result


def _this_year(figure: TargetFigure) -> Window:
    end = figure.window.end
    start = max(figure.window.start, end.replace(month=1))
    return Window(start, end, figure.window.elapsed, True, end.year)


def indicator_values(target: Target, span: Window, user: Actor) -> QuerySet[IndicatorValue]:
    """The reported values inside the target's window (what the web page lists with their evidence)."""
    if target.indicator_id is None:
        return IndicatorValue.objects.none()
    return (scope(user, IndicatorValue.objects.filter(indicator_id=target.indicator_id,
                                                      month__range=(span.start, span.end)))
            .select_related("entered_by").order_by("month"))


def _indicator_rows(target: Target, span: Window, user: Actor) -> list[dict[str, Any]]:
    values = indicator_values(target, span, user)
    name = target.indicator.label if target.indicator is not None else ""
    return [{"project": None, "name": f"{name} {v.month:%Y-%m}", "county": "", "value": _plain(v.value),
             "month": f"{v.month:%Y-%m}", "source": v.source,
             "entered_by": v.entered_by.username if v.entered_by else "", "entered_at": v.entered_at.isoformat()}
            for v in values]

