"""The raw value of each indicator and the count behind each deduction, per assessed unit, from the records.

A unit answers for the projects of its area or that it leads (county, park or lead unit of the project), the
supervision tasks it is responsible for, the approvals it handles, the agreements of its area or that it keeps.
Every figure is one conditional aggregate over the units (one query per source, whatever the number of rows);
`records` lists the rows behind one unit's figure for the drill-down page. docs/assessment.md defines them.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from functools import reduce
from typing import Any

from django.db.models import Count, DecimalField, F, Q, QuerySet, Sum, TextField
from django.db.models.functions import Cast, TruncDate

from touzi.approvals.models import Approval
from touzi.assessment.choices import DeductionSource, Source
from touzi.assessment.period import Period
from touzi.lib.bounds import MONEY_COLUMN
from touzi.lib.regions import projects_in
from touzi.plans.models import Plan
from touzi.projects.models import AnnualPlan, Project
from touzi.promotion.figures import rates
from touzi.promotion.models import Agreement
from touzi.reports.models import Adjustment, CountedYear, MonthlyReport
from touzi.supervision.models import SupervisionTask
from touzi.units.models import Unit

MONEY = DecimalField(**MONEY_COLUMN)
ZERO = Decimal(0)
PERCENT = Decimal("0.01")


def pct(part: Decimal | int | None, whole: Decimal | int | None) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part or 0) * 100 / Decimal(whole)).quantize(PERCENT, rounding=ROUND_HALF_UP)


def unit_projects(unit: Unit | int, prefix: str = "") -> Q:
    """The projects a unit answers for: of its county or park, or led by it."""
    return project_units(prefix).q(unit if isinstance(unit, int) else unit.pk)


def plan_projects(plan: Plan) -> QuerySet[Project]:
    return Project.objects.filter(projects_in(plan.region_code))


@dataclass(frozen=True)
class UnitColumns:
    """A row belongs to a unit when any of these columns names it (a project's county, park or lead unit)."""

    columns: tuple[str, ...]

    def q(self, pk: int) -> Q:
        return reduce(operator.or_, (Q(**{c: pk}) for c in self.columns))


def project_units(prefix: str = "") -> UnitColumns:
    """The projects a unit answers for, as the columns that name it: its county, park or lead unit."""
    return UnitColumns((f"{prefix}county_id", f"{prefix}park_id", f"{prefix}lead_unit_id"))


def _per_unit(qs: QuerySet, units: Sequence[Unit], unit_q: Callable[[int], Q] | UnitColumns,
              **figures: Any) -> dict[int, dict]:
    """{unit id: {figure: value}}: each figure an aggregate with a filter, per unit, in one query."""
    if not units:
        return {}
    extras = [extra for _func, _field, extra in figures.values()]
    if all(extra is not None for extra in extras):
        # Only the rows some figure counts: each figure's filter is also applied in the WHERE, so a rare condition
        # (a returned report) reads its few rows, not every row once per unit (a nation's year of reports: 90 s).
        qs = qs.filter(reduce(operator.or_, extras))
    if isinstance(unit_q, UnitColumns):
        return _per_unit_by_columns(qs, units, unit_q.columns, figures)
    names: dict[str, Any] = {}
    for unit in units:
        for name, (func, field, extra) in figures.items():
            condition = unit_q(unit.pk) & (extra if extra is not None else Q())
            names[f"{name}__{unit.pk}"] = func(field, filter=condition)
    row = qs.order_by().aggregate(**names)
    return {u.pk: {name: row[f"{name}__{u.pk}"] or 0 for name in figures} for u in units}


def _per_unit_by_columns(qs: QuerySet, units: Sequence[Unit], columns: tuple[str, ...],
                         figures: dict[str, Any]) -> dict[int, dict]:
    """The same figures grouped by the columns that name units: one grouped pass over the units' rows instead of
    a filtered aggregate per unit and figure (a nation's million projects were read once per unit). A row counts
    once for each unit it names, however many of its columns name that unit, as the OR of the columns does."""
    ids = {u.pk for u in units}
    mine = reduce(operator.or_, (Q(**{f"{c}__in": sorted(ids)}) for c in columns))
    rows = (qs.filter(mine).order_by().values(*columns)
            .annotate(**{name: func(field, filter=extra) for name, (func, field, extra) in figures.items()}))
    out: dict[int, dict] = {pk: dict.fromkeys(figures, 0) for pk in ids}
    for row in rows:
        for pk in {row[c] for c in columns} & ids:
            for name in figures:
                value = row[name] or 0
                # SQLite adds DECIMAL columns as REAL: back to the exact decimal before adding groups up.
                out[pk][name] += Decimal(str(value)) if isinstance(value, float) else value
    return out


def _late_flag() -> Q:
    return Q(flags_text__contains='"late"')


def _reports(plan: Plan, period: Period) -> QuerySet[MonthlyReport]:
    return MonthlyReport.objects.filter(project__in=plan_projects(plan), month__gte=period.first,
                                        month__lte=period.last_month).annotate(
        flags_text=Cast("flags", TextField()))


def attainment(plan: Plan, units: Sequence[Unit], period: Period) -> dict[int, Decimal | None]:
    """Year-to-date counted investment over the annual plan's time-proportional share (序时进度), in %."""
    done = _per_unit(CountedYear.objects.filter(year=period.year, project__in=plan_projects(plan)), units,
                     project_units("project__"), ytd=(Sum, f"ytd{period.month}", None))
    planned = _per_unit(AnnualPlan.objects.filter(year=period.year, project__in=plan_projects(plan)), units,
                        project_units("project__"), plan=(Sum, "planned_investment", None))
    out: dict[int, Decimal | None] = {}
    for unit in units:
        due = Decimal(planned[unit.pk]["plan"]) * period.month / 12
        out[unit.pk] = pct(done[unit.pk]["ytd"], due)
    return out


def new_starts(plan: Plan, units: Sequence[Unit], period: Period) -> dict[int, Decimal | None]:
    """Projects the annual plan starts by the month that have started by its end, in %."""
    due = Q(planned_start__gte=period.first, planned_start__lte=period.as_of)
    found = _per_unit(AnnualPlan.objects.filter(year=period.year, project__in=plan_projects(plan)), units,
                      project_units("project__"),
                      due=(Count, "id", due),
                      started=(Count, "id", due & Q(project__actual_start__lte=period.as_of)))
    return {u.pk: pct(found[u.pk]["started"], found[u.pk]["due"]) for u in units}


def _agreements_of(pk: int) -> Q:
    return Q(county_id=pk) | Q(park_id=pk) | Q(unit_id=pk)


def promotion(rate: str) -> Callable[[Plan, Sequence[Unit], Period], dict[int, Decimal | None]]:
    def figure(plan: Plan, units: Sequence[Unit], period: Period) -> dict[int, Decimal | None]:
        out: dict[int, Decimal | None] = {}
        for unit in units:  # the register's own definitions (touzi.promotion.figures), a few queries a unit
            total = rates(Agreement.objects.filter(_agreements_of(unit.pk)), as_of=period.as_of).total
            value = total[rate]
            out[unit.pk] = None if value is None else (value * 100).quantize(PERCENT)
        return out

    return figure


def _approvals_of(pk: int) -> Q:
    return Q(approving_unit_id=pk) | unit_projects(pk, "project__")


def _approvals(plan: Plan, period: Period) -> QuerySet[Approval]:
    return Approval.objects.filter(project__in=plan_projects(plan), due_on__isnull=False,
                                   done_on__gte=period.first, done_on__lte=period.as_of)


def approvals_on_time(plan: Plan, units: Sequence[Unit], period: Period) -> dict[int, Decimal | None]:
    """Approvals decided in the period by their time limit, over those decided, in %."""
    found = _per_unit(_approvals(plan, period), units, _approvals_of,
                      done=(Count, "id", None), on_time=(Count, "id", Q(done_on__lte=F("due_on"))))
    return {u.pk: pct(found[u.pk]["on_time"], found[u.pk]["done"]) for u in units}


def _tasks(plan: Plan, period: Period) -> QuerySet[SupervisionTask]:
    return SupervisionTask.objects.filter(plan=plan, deadline__gte=period.first, deadline__lte=period.as_of
                                          ).annotate(rectified_on=TruncDate("rectified_at"))


def _task_of(pk: int) -> Q:
    return Q(responsible_unit_id=pk)


def supervision_on_time(plan: Plan, units: Sequence[Unit], period: Period) -> dict[int, Decimal | None]:
    """Supervision tasks due in the period rectified by their deadline, over those due, in %."""
    found = _per_unit(_tasks(plan, period), units, _task_of, due=(Count, "id", None),
                      on_time=(Count, "id", Q(rectified_on__isnull=False, rectified_on__lte=F("deadline"))))
    return {u.pk: pct(found[u.pk]["on_time"], found[u.pk]["due"]) for u in units}


def reporting_on_time(plan: Plan, units: Sequence[Unit], period: Period) -> dict[int, Decimal | None]:
    """Monthly reports of the period submitted by the deadline (not flagged late), over those submitted, in %."""
    found = _per_unit(_reports(plan, period).filter(submitted_at__isnull=False), units,
                      project_units("project__"),
                      submitted=(Count, "id", None), on_time=(Count, "id", ~_late_flag()))
    return {u.pk: pct(found[u.pk]["on_time"], found[u.pk]["submitted"]) for u in units}


def data_quality(plan: Plan, units: Sequence[Unit], period: Period) -> dict[int, Decimal | None]:
    from touzi.assessment.quality import quality_scores

    return quality_scores(plan, units, period)


RAW: dict[str, Callable[[Plan, Sequence[Unit], Period], dict[int, Decimal | None]]] = {
    Source.ATTAINMENT: attainment,
    Source.NEW_STARTS: new_starts,
    Source.PROMOTION_HONOURED: promotion("honoured_rate"),
    Source.PROMOTION_FUNDS: promotion("funds_rate"),
    Source.PROMOTION_STARTED: promotion("started_rate"),
    Source.PROMOTION_PRODUCTION: promotion("production_rate"),
    Source.APPROVALS_ON_TIME: approvals_on_time,
    Source.SUPERVISION_ON_TIME: supervision_on_time,
    Source.REPORTING_ON_TIME: reporting_on_time,
    Source.DATA_QUALITY: data_quality,
}


def _overdue_tasks() -> Q:
    return Q(rectified_on__isnull=True) | Q(rectified_on__gt=F("deadline"))


def _corrections(plan: Plan, period: Period) -> QuerySet[Adjustment]:
    return Adjustment.objects.filter(project__in=plan_projects(plan), month__gte=period.first,
                                     month__lte=period.last_month)


def _overdue_approvals(period: Period) -> Q:
    return Q(done_on__gt=F("due_on")) | Q(done_on__isnull=True, due_on__lt=period.as_of)


def deduction_counts(plan: Plan, units: Sequence[Unit], period: Period) -> dict[int, dict[str, int]]:
    """{unit id: {deduction source: records}}."""
    tasks = _per_unit(SupervisionTask.objects.filter(plan=plan, deadline__gte=period.first,
                                                     deadline__lt=period.as_of).annotate(
        rectified_on=TruncDate("rectified_at")), units, _task_of, n=(Count, "id", _overdue_tasks()))
    corrections = _per_unit(_corrections(plan, period), units, project_units("project__"),
                            n=(Count, "id", None))
    returned = _per_unit(_reports(plan, period), units, project_units("project__"),
                         n=(Count, "id", ~Q(return_reason="")))
    approvals = _per_unit(Approval.objects.filter(project__in=plan_projects(plan), due_on__gte=period.first,
                                                  due_on__lte=period.as_of), units, _approvals_of,
                          n=(Count, "id", _overdue_approvals(period)))
    return {u.pk: {DeductionSource.SUPERVISION_OVERDUE.value: tasks[u.pk]["n"],
                   DeductionSource.CORRECTIONS_AFTER_LOCK.value: corrections[u.pk]["n"],
                   DeductionSource.REPORTS_RETURNED.value: returned[u.pk]["n"],
                   DeductionSource.APPROVALS_OVERDUE.value: approvals[u.pk]["n"]} for u in units}


# --- the rows behind a figure (drill-down) -----------------------------------------------------------

LIMIT = 500


@dataclass(frozen=True)
class Record:
    label: str
    detail: str
    counts: bool  # counts for the unit (on time, started …) or against it
    project_id: int | None = None


def records(source: str, plan: Plan, unit: Unit, period: Period) -> list[Record]:
    """The records behind one unit's raw value or deduction (at most LIMIT)."""
    mine = unit_projects(unit, "project__")
    if source == Source.ATTAINMENT:
        rows = (CountedYear.objects.filter(mine, year=period.year, project__in=plan_projects(plan))
                .values_list("project_id", "project__name", f"ytd{period.month}")[:LIMIT])
        plans = dict(AnnualPlan.objects.filter(mine, year=period.year).values_list("project_id",
                                                                                   "planned_investment"))
        return [Record(name, f"1—{period.month}月 {ytd} 万元 / 年度计划 {plans.get(pid) or '—'} 万元",
                       True, pid) for pid, name, ytd in rows]
    if source == Source.NEW_STARTS:
        due = AnnualPlan.objects.filter(mine, year=period.year, planned_start__gte=period.first,
                                        planned_start__lte=period.as_of)
        return [Record(name, f"计划开工 {start} · 实际开工 {actual or '—'}",
                       bool(actual and actual <= period.as_of), pid)
                for pid, name, start, actual in due.values_list(
                    "project_id", "project__name", "planned_start", "project__actual_start")[:LIMIT]]
    if source in (Source.APPROVALS_ON_TIME, DeductionSource.APPROVALS_OVERDUE):
        approvals = (_approvals(plan, period) if source == Source.APPROVALS_ON_TIME else Approval.objects.filter(
            project__in=plan_projects(plan), due_on__gte=period.first, due_on__lte=period.as_of)
            .filter(_overdue_approvals(period)))
        return [Record(f"{name} · {kind}", f"期限 {due} · 办结 {done or '—'}",
                       bool(done and due and done <= due), pid)
                for pid, name, kind, due, done in approvals.filter(_approvals_of(unit.pk)).values_list(
                    "project_id", "project__name", "kind__name", "due_on", "done_on")[:LIMIT]]
    if source in (Source.SUPERVISION_ON_TIME, DeductionSource.SUPERVISION_OVERDUE):
        tasks: Any = _tasks(plan, period).filter(_task_of(unit.pk))  # annotated: rectified_on
        if source == DeductionSource.SUPERVISION_OVERDUE:
            tasks = tasks.filter(_overdue_tasks(), deadline__lt=period.as_of)
        return [Record(problem[:60], f"时限 {deadline} · 整改 {on or '—'}", bool(on and on <= deadline), pid)
                for pid, problem, deadline, on in tasks.values_list("project_id", "problem", "deadline",
                                                                  "rectified_on")[:LIMIT]]
    if source in (Source.REPORTING_ON_TIME, Source.DATA_QUALITY, DeductionSource.REPORTS_RETURNED):
        reports = _reports(plan, period).filter(mine)
        if source == DeductionSource.REPORTS_RETURNED:
            reports = reports.exclude(return_reason="")
        return [Record(f"{name} {month:%Y-%m}", f"{status}{' · 逾期' if 'late' in (flags or []) else ''}"
                       f"{' · 退回:' + reason if reason else ''}", 'late' not in (flags or []), pid)
                for pid, name, month, status, flags, reason in reports.values_list(
                    "project_id", "project__name", "month", "status", "flags", "return_reason")[:LIMIT]]
    if source == DeductionSource.CORRECTIONS_AFTER_LOCK:
        return [Record(f"{name} {month:%Y-%m}", f"{delta:+} 万元 · {reason}", False, pid)
                for pid, name, month, delta, reason in _corrections(plan, period).filter(mine).values_list(
                    "project_id", "project__name", "month", "delta", "reason")[:LIMIT]]
    if source.startswith("promotion_"):
        return [Record(f"{code} {name}", f"签约 {signed}", True, None)
                for code, name, signed in Agreement.objects.filter(_agreements_of(unit.pk), signed_on__lte=period.as_of)
                .values_list("code", "name", "signed_on")[:LIMIT]]
    return []
