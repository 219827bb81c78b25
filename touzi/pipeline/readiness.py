"""A project's readiness to start, read from its 前期工作 milestones (computed in the database).

Only the milestones marked 开工前须完成 (`before_start`) count:

- 具备开工条件 (ready): all of them done;
- 节点晚于计划开工 (blocked): one not done has no planned date, or a planned date after the project's planned start;
- 前期节点逾期 (late): one not done was planned before today;
- 前期推进中 (on track): the rest — every open one planned on or before the planned start, none late;
- 未设前期节点: the project has no such milestone (nothing known holds it back).

The roll of annual plans (`touzi plan roll YEAR`) proposes as new starts only the projects that are not
blocked for that year: `not_ready(year)`, registered with touzi/projects/readiness.py.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, DateField, F, Q, QuerySet, Value
from django.db.models.functions import Coalesce

from touzi.pipeline.choices import Readiness
from touzi.pipeline.models import Milestone


def _open(path: str = "") -> Q:
    return Q(**{f"{path}before_start": True, f"{path}actual_on__isnull": True})


def _beyond(year_end: dt.date, path: str = "", project: str = "project__") -> Q:
    start = Coalesce(F(f"{project}planned_start"), Value(year_end, output_field=DateField()))
    return _open(path) & (Q(**{f"{path}planned_on__isnull": True}) | Q(**{f"{path}planned_on__gt": start}))


def not_ready(year: int) -> Q:
    """The projects (a Q over Project) with an open before-start milestone unplanned or planned after the start."""
    blocked = Milestone.objects.filter(_beyond(dt.date(year, 12, 31))).values("project_id")
    return Q(id__in=blocked)


def with_readiness(projects: QuerySet, today: dt.date) -> QuerySet:
    """Projects annotated with their before-start milestones: total, done, late and beyond the planned start."""
    m = "milestones__"
    return projects.annotate(
        ms_total=Count("milestones", filter=Q(**{f"{m}before_start": True})),
        ms_done=Count("milestones", filter=Q(**{f"{m}before_start": True, f"{m}actual_on__isnull": False})),
        ms_late=Count("milestones", filter=_open(m) & Q(**{f"{m}planned_on__lt": today})),
        ms_beyond=Count("milestones", filter=_beyond(dt.date(9999, 12, 31), m, project="")),
    )


def status_of(total: int, done: int, late: int, beyond: int) -> str:
    if not total:
        return Readiness.NO_MILESTONES
    if done == total:
        return Readiness.READY
    if beyond:
        return Readiness.BLOCKED
    return Readiness.LATE if late else Readiness.ON_TRACK


def readiness_filter(status: str, today: dt.date) -> Q:
    """The annotated projects of one readiness status (for filters and counts in the database)."""
    if status == Readiness.NO_MILESTONES:
        return Q(ms_total=0)
    if status == Readiness.READY:
        return Q(ms_total__gt=0, ms_done=F("ms_total"))
    if status == Readiness.BLOCKED:
        return Q(ms_total__gt=0, ms_beyond__gt=0) & ~Q(ms_done=F("ms_total"))
    if status == Readiness.LATE:
        return Q(ms_total__gt=0, ms_beyond=0, ms_late__gt=0) & ~Q(ms_done=F("ms_total"))
    return Q(ms_total__gt=0, ms_beyond=0, ms_late=0) & ~Q(ms_done=F("ms_total"))
