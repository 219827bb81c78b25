"""Supervision tasks and notifications: who raises, answers and reads them (rules for touzi.core.scoping)."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from touzi.core import scoping
from touzi.core.scoping import Action, Scope
from touzi.projects.models import Project
from touzi.projects.scoping import projects
from touzi.supervision.models import Notification, SupervisionTask


def supervision_tasks(scope: Scope, qs: QuerySet, action: Action) -> QuerySet:
    """The office raises and verifies; the responsible unit answers; who sees the project sees its tasks."""
    if action == Action.CHANGE:
        return qs if scope.is_office else qs.filter(responsible_unit_id__in=scope.unit_ids)
    if scope.everything:
        return qs
    visible = projects(scope, Project.objects.all(), Action.VIEW).values("id")
    return qs.filter(Q(responsible_unit_id__in=scope.unit_ids) | Q(co_responsible_unit_id__in=scope.unit_ids)
                     | Q(project_id__in=visible))


def notifications(scope: Scope, qs: QuerySet, action: Action) -> QuerySet:
    return qs.filter(unit_id__in=scope.unit_ids)


def register() -> None:
    scoping.register(SupervisionTask, supervision_tasks)
    scoping.register(Notification, notifications)
