"""Reading the pipeline, always through the scoping function."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet

from touzi.core.scoping import Action, scope
from touzi.pipeline.choices import Readiness
from touzi.pipeline.models import Concept, Milestone, PreliminaryFund, Registration
from touzi.pipeline.readiness import readiness_filter, with_readiness
from touzi.projects.choices import Stage
from touzi.projects.models import Project

RESERVE = [Stage.RESERVE, Stage.PRELIMINARY]
STARTED = [Stage.NEW_START, Stage.CONTINUING, Stage.COMPLETED, Stage.IN_OPERATION]


def visible_concepts(user: Any) -> QuerySet[Concept]:
    return scope(user, Concept.objects.all()).select_related("county", "domain", "proposer", "project")


def filtered_concepts(qs: QuerySet[Concept], params: Any) -> QuerySet[Concept]:
    if params.get("status"):
        qs = qs.filter(status=params["status"])
    if params.get("county"):
        qs = qs.filter(county__key=params["county"])
    if str(params.get("year") or "").isdigit():
        qs = qs.filter(proposed_on__year=int(params["year"]))
    if params.get("q"):
        qs = qs.filter(name__icontains=params["q"])
    return qs


def reserve_projects(user: Any, today: dt.date, status: str = "") -> QuerySet[Project]:
    """The reserve and preliminary projects the user sees, with their readiness counts."""
    qs = with_readiness(scope(user, Project.objects.filter(stage__in=RESERVE)), today)
    if status in Readiness.values:
        qs = qs.filter(readiness_filter(status, today))
    return qs.select_related("county", "owner").order_by("planned_start", "name")


def project_milestones(user: Any, project: Project) -> QuerySet[Milestone]:
    return scope(user, Milestone.objects.filter(project=project)).select_related("responsible").order_by("order")


def changeable_milestones(user: Any, project: Project) -> QuerySet[Milestone]:
    return scope(user, Milestone.objects.filter(project=project), Action.CHANGE)


def visible_funds(user: Any) -> QuerySet[PreliminaryFund]:
    return scope(user, PreliminaryFund.objects.all()).select_related("county", "project")


def started_projects(user: Any) -> QuerySet[Project]:
    """Started projects the user sees, with their 统计入库 row (if any)."""
    return (scope(user, Project.objects.filter(stage__in=STARTED))
            .select_related("county", "registration").order_by("county__division_code", "actual_start", "name"))


def visible_registrations(user: Any) -> QuerySet[Registration]:
    return scope(user, Registration.objects.all()).select_related("project")
