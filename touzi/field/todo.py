"""本月待填报: which of the user's projects still owe which months, with the deadline (the plan's report day)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from touzi.core.scoping import Action
from touzi.lib.periods import add_months
from touzi.monitoring.settings import settings_for
from touzi.projects.choices import Stage
from touzi.projects.models import Project
from touzi.projects.selectors import visible_projects
from touzi.reports.choices import ReportStatus
from touzi.reports.models import MonthlyReport
from touzi.reports.rules import combines_jan_feb

REPORTING = [Stage.NEW_START, Stage.CONTINUING, Stage.PRELIMINARY]
WINDOW = 3  # months looked back

@dataclass(frozen=True)
class Due:
    project: Project
    month: dt.date
    report: MonthlyReport | None  # a returned or draft report to finish, else None (not yet reported)
    overdue: bool

def due_months(plan: Any, today: dt.date) -> list[dt.date]:
    """The last WINDOW reporting months before this one (within the plan's years), newest first; January is
    stepped over where it is reported with February."""
    latest = add_months(today.replace(day=1), -1)
    if plan is not None and latest.year > plan.end_year:
        latest = dt.date(plan.end_year, 12, 1)
    months: list[dt.date] = []
    month = latest
    while len(months) < WINDOW:
        if not (month.month == 1 and combines_jan_feb(month.year)):
            months.append(month)
        month = add_months(month, -1)
    return months

def due_reports(user: Any, plan: Any, today: dt.date | None = None) -> tuple[list[Due], dt.date | None, list[dt.date]]:
    """(what is due, the deadline of the newest month, the months looked at): one query for the reports."""
    today = today or timezone.localdate()
    months = due_months(plan, today)
    day = settings_for(plan).report_deadline_day if plan is not None else 10
    deadline = add_months(months[0], 1).replace(day=day) if months else None
    projects = list(visible_projects(user, Action.CHANGE).filter(stage__in=REPORTING)
                    .select_related("county").order_by("name")[:500])
    done = {(r.project_id, r.month): r for r in MonthlyReport.objects.filter(
        project__in=[p.pk for p in projects], month__in=months)}
    rows: list[Due] = []
    for month in months:
        month_deadline = add_months(month, 1).replace(day=day)
        for project in projects:
            report = done.get((project.pk, month))
            if report is not None and report.status in (ReportStatus.SUBMITTED, ReportStatus.ACCEPTED):
                continue
            rows.append(Due(project, month, report, today > month_deadline))
    return rows, deadline, months

