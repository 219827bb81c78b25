"""Monthly reports, their evidence and adjustments follow their project; month locks are read by everyone."""

from __future__ import annotations

from django.db.models import QuerySet

from touzi.core import scoping
from touzi.core.roles import Role
from touzi.core.scoping import Action, Scope
from touzi.projects.scoping import CHILDREN, project_children
from touzi.reports.models import Adjustment, CountedYear, Evidence, MonthLock, MonthlyReport

EVIDENCE = project_children("report__project__")


def month_locks(scope: Scope, qs: QuerySet, action: Action) -> QuerySet:
    if action == Action.VIEW:
        return qs
    return qs if scope.role in (Role.PLAN_OFFICE, Role.STATISTICS) else qs.none()


def register() -> None:
    scoping.register(MonthlyReport, CHILDREN)
    scoping.register(Adjustment, CHILDREN)
    scoping.register(Evidence, EVIDENCE)
    scoping.register(MonthLock, month_locks)
    scoping.exempt(CountedYear, "derived from reports and adjustments; read only with a scoped project list")
