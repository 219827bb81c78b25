"""Who sees and changes which projects, and everything hanging off a project (rules for touzi.core.scoping).

`project_filter` is public: reports, evidence and supervision tasks reach their projects through it.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from touzi.core import scoping
from touzi.core.roles import Role
from touzi.core.scoping import Action, Rule, Scope
from touzi.projects.models import (
    AnnualPlan,
    FactorIssue,
    FundingLine,
    KeyApproval,
    Membership,
    Project,
    StageDecision,
)


def project_filter(scope: Scope, action: Action, path: str = "") -> Q | None:
    """The projects a user may see or change; None means all of them. `path` reaches them from a child
    ("project__", "report__project__")."""

    def q(**lookups: Any) -> Q:
        return Q(**{f"{path}{key}": value for key, value in lookups.items()})

    region = q(county__division_code__startswith=scope.region) if scope.region else None
    if action == Action.REVIEW:
        return region if scope.role == Role.STATISTICS else Q(pk__in=[])
    if scope.is_office:
        return region
    if action == Action.VIEW and scope.everything:
        return region
    units = scope.unit_ids
    area = q(county_id__in=units) | q(park_id__in=units)
    if action == Action.CHANGE:
        if scope.role == Role.COUNTY:
            return area
        if scope.role == Role.OWNER:
            return q(owner_id__in=units)
        if scope.role == Role.LEAD_UNIT:
            return q(lead_unit_id__in=units)
        return Q(pk__in=[])
    mine = area | q(owner_id__in=units) | q(lead_unit_id__in=units)
    if scope.domain_ids:
        mine |= q(domain_id__in=scope.domain_ids)
    return mine


def projects(scope: Scope, qs: QuerySet, action: Action) -> QuerySet:
    allowed = project_filter(scope, action)
    return qs if allowed is None else qs.filter(allowed)


def project_children(path: str = "project__") -> Rule:
    """The rule of rows that belong to a project (annual plans, reports, evidence …): whoever may see or
    change the project. The filters follow forward foreign keys only, so no row is repeated."""

    def rule(scope: Scope, qs: QuerySet, action: Action) -> QuerySet:
        allowed = project_filter(scope, action, path)
        return qs if allowed is None else qs.filter(allowed)

    rule.__qualname__ = f"project_children({path!r})"
    return rule


CHILDREN = project_children()


def register() -> None:
    scoping.register(Project, projects)
    for model in (AnnualPlan, Membership, FundingLine, KeyApproval, FactorIssue, StageDecision):
        scoping.register(model, CHILDREN)
