"""Hand-made records for the assessment tests: a scheme on the mini plan and the rows behind each figure."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from touzi.approvals.models import Approval, ApprovalKind
from touzi.assessment.models import AssessmentScheme
from touzi.assessment.services import store_section
from touzi.core.actor import System
from touzi.plans.models import Plan
from touzi.projects.models import AnnualPlan, Project
from touzi.reports.choices import ReportStatus
from touzi.reports.counted import refresh
from touzi.reports.models import Adjustment, MonthlyReport
from touzi.supervision.models import SupervisionTask
from touzi.units.models import Unit

SCHEME: dict[str, Any] = {
    "key": "counties", "name": "县区考核", "years": [2022, 2023], "units": ["@counties"],
    "indicators": [
        {"key": "attainment", "source": "attainment", "weight": 50, "rule": "linear", "low": 60, "high": 100,
         "when_empty": "zero"},
        {"key": "supervision", "source": "supervision_on_time", "weight": 20, "rule": "pass", "threshold": 100},
        {"key": "reporting", "source": "reporting_on_time", "weight": 30, "rule": "rank", "step": 10},
    ],
    "bonus": {"cap": 2, "rules": [{"indicator": "attainment", "above": 100, "per": 10, "points": 1, "cap": 2}]},
    "deductions": {"cap": 5, "rules": [{"source": "supervision_overdue", "points": 1},
                                       {"source": "corrections_after_lock", "points": 0.5}]},
}


def make_scheme(plan: Plan, spec: dict[str, Any] | None = None) -> AssessmentScheme:
    with transaction.atomic():
        store_section(plan, [spec or SCHEME], System("test"))
    return AssessmentScheme.objects.get(plan=plan, key=(spec or SCHEME)["key"])


def report(project: Project, month: str, amount: str, *, late: bool = False, returned: str = "",
           spike: bool = False) -> MonthlyReport:
    flags = (["late"] if late else []) + (["spike"] if spike else [])
    found = MonthlyReport.objects.create(
        project=project, month=dt.date.fromisoformat(month + "-01"), amount=Decimal(amount),
        status=ReportStatus.ACCEPTED, flags=flags, return_reason=returned, submitted_at=timezone.now())
    refresh([project.pk])
    return found


def annual_plan(project: Project, year: int, planned: str, start: dt.date | None = None) -> AnnualPlan:
    return AnnualPlan.objects.create(project=project, year=year, planned_investment=Decimal(planned),
                                     planned_start=start)


def correction(project: Project, month: str, delta: str) -> Adjustment:
    found = Adjustment.objects.create(project=project, month=dt.date.fromisoformat(month + "-01"),
                                      delta=Decimal(delta), reason="更正")
    refresh([project.pk])
    return found


def task(plan: Plan, unit: str, deadline: dt.date, rectified: dt.date | None) -> SupervisionTask:
    at = None if rectified is None else timezone.make_aware(dt.datetime.combine(rectified, dt.time(10)))
    return SupervisionTask.objects.create(plan=plan, problem="进度滞后", required_action="加快",
                                          responsible_unit=Unit.objects.get(key=unit), deadline=deadline,
                                          rectified_at=at)


def approval(project: Project, due: dt.date, done: dt.date | None, unit: str = "drc") -> Approval:
    kind = ApprovalKind.objects.exclude(approvals__project=project).order_by("pk").first()
    assert kind is not None
    return Approval.objects.create(project=project, kind=kind, legal_days=20, due_on=due, done_on=done,
                                   approving_unit=Unit.objects.get(key=unit))
