"""Read queries for locations, photos and the map, through the scoping function."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import F, OuterRef, QuerySet, Subquery
from django.utils.translation import gettext as _

from touzi.core.scoping import scope
from touzi.field.choices import ColourBy
from touzi.field.models import ProgressPhoto, ProjectLocation
from touzi.lib.geo import wgs84_to_gcj02
from touzi.monitoring.choices import Level
from touzi.projects.choices import Stage
from touzi.projects.models import Project
from touzi.projects.selectors import ProjectFilters, filtered_projects
from touzi.reports.choices import ReportStatus
from touzi.reports.models import MonthlyReport


def visible_photos(user: Any) -> QuerySet[ProgressPhoto]:
    return scope(user, ProgressPhoto.objects.all()).select_related("project", "report")


def gallery(user: Any, *, project: Project | None = None, flagged: bool = False) -> QuerySet[ProgressPhoto]:
    """Photos by the date they were taken, newest first (those without a date by upload)."""
    qs = visible_photos(user)
    if project is not None:
        qs = qs.filter(project=project)
    if flagged:
        qs = qs.exclude(flags=[])
    return qs.order_by(F("taken_at").desc(nulls_last=True), "-uploaded_at")


def location_of(user: Any, project: Project) -> ProjectLocation | None:
    return scope(user, ProjectLocation.objects.filter(project=project)).first()


# Colours (ECharts takes them as given) per category; the legend shows the labels.
WARNING_COLOURS = {"red": "#c9302c", "yellow": "#e0a800", "none": "#2e7d32"}
STAGE_COLOURS = {Stage.RESERVE: "#8c8c8c", Stage.PRELIMINARY: "#6f42c1", Stage.NEW_START: "#1f77b4",
                 Stage.CONTINUING: "#2ca02c", Stage.COMPLETED: "#17becf", Stage.IN_OPERATION: "#0b5394",
                 Stage.CANCELLED: "#444444"}
STATUS_COLOURS = {ReportStatus.ACCEPTED: "#2e7d32", ReportStatus.SUBMITTED: "#1f77b4",
                  ReportStatus.RETURNED: "#c9302c", ReportStatus.DRAFT: "#8c8c8c", "missing": "#e0a800"}


def warning_levels(user: Any, plan: Any, month: dt.date) -> dict[int, tuple[str, str, str]]:
    """Per project with a warning this month: (highest level, that warning's key with the month, its reason)."""
    if plan is None:
        return {}
    from touzi.monitoring.cache import dashboard_for

    levels: dict[int, tuple[str, str, str]] = {}
    for alert in dashboard_for(user, plan, month).alerts:
        if alert.project_id and (alert.project_id not in levels or levels[alert.project_id][0] != Level.RED):
            levels[alert.project_id] = (str(alert.level), f"{alert.key}:{month:%Y-%m}", str(alert.reason))
    return levels


def legend(colour_by: str) -> list[dict[str, str]]:
    if colour_by == ColourBy.STAGE:
        return [{"key": str(k), "label": str(Stage(k).label), "colour": c} for k, c in STAGE_COLOURS.items()]
    if colour_by == ColourBy.STATUS:
        labels = {**{k: str(ReportStatus(k).label) for k in ReportStatus.values}, "missing": _("未报送")}
        return [{"key": str(k), "label": labels[str(k)], "colour": c} for k, c in STATUS_COLOURS.items()]
    return [{"key": "red", "label": str(Level.RED.label), "colour": WARNING_COLOURS["red"]},
            {"key": "yellow", "label": str(Level.YELLOW.label), "colour": WARNING_COLOURS["yellow"]},
            {"key": "none", "label": _("无预警"), "colour": WARNING_COLOURS["none"]}]


def map_points(user: Any, filters: ProjectFilters, *, plan: Any, month: dt.date,
               colour_by: str = ColourBy.WARNING) -> list[dict[str, Any]]:
    """The filtered projects that have a location, as map points: GCJ-02 (the outlines' datum) for drawing,
    WGS-84 kept, the category that colours them and the total investment that sizes them (万元)."""
    last_status = Subquery(MonthlyReport.objects.filter(project=OuterRef("project_id"), month=month)
                           .values("status")[:1])
    rows = (scope(user, ProjectLocation.objects.all())
            .filter(project__in=filtered_projects(user, filters).values("id"))
            .annotate(status=last_status)
            .values("project_id", "project__name", "project__code", "project__stage", "project__total_investment",
                    "project__county__name", "lat", "lon", "shape_kind", "shape", "status")
            .order_by("project_id"))
    levels = warning_levels(user, plan, month) if colour_by == ColourBy.WARNING else {}
    points = []
    for row in rows:  # one row per drawn point: the conversion is per point by nature, not an aggregate
        lat, lon = float(row["lat"]), float(row["lon"])
        g_lat, g_lon = wgs84_to_gcj02(lat, lon)
        if colour_by == ColourBy.STAGE:
            category = row["project__stage"]
        elif colour_by == ColourBy.STATUS:
            category = row["status"] or "missing"
        else:
            category = levels.get(row["project_id"], ("none", "", ""))[0]
        warning = levels.get(row["project_id"], ("", "", ""))
        shape = [list(wgs84_to_gcj02(p[1], p[0]))[::-1] for p in row["shape"]] if row["shape"] else []
        points.append({"id": row["project_id"], "name": row["project__name"], "code": row["project__code"] or "",
                       "county": row["project__county__name"], "category": category,
                       "investment": row["project__total_investment"], "value": [g_lon, g_lat],
                       "wgs84": [lon, lat], "shape_kind": row["shape_kind"], "shape": shape,
                       "warning": warning[1], "reason": warning[2]})
    return points


def unlocated(user: Any, filters: ProjectFilters) -> int:
    """How many of the filtered projects have no location yet."""
    return filtered_projects(user, filters).filter(location__isnull=True).count()
