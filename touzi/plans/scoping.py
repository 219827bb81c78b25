"""Who sees which part of a plan: its targets, tasks, indicators and groups (rules for touzi.core.scoping)."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from touzi.core import scoping
from touzi.core.roles import Role
from touzi.core.scoping import Action, Scope, plan_bound
from touzi.plans.choices import Area
from touzi.plans.models import (
    Collection,
    Domain,
    Indicator,
    Plan,
    Responsibility,
    Target,
    Task,
    UnitGroup,
    WorkGroup,
)


def plans(scope: Scope, qs: QuerySet, action: Action) -> QuerySet:
    if action == Action.CHANGE:
        # An office changes the plans of its own region (a province's office also its cities' plans).
        if not scope.is_office:
            return qs.none()
        return qs.filter(region_code__startswith=scope.region) if scope.region else qs
    if scope.plan_ids is None:
        return qs
    return qs.filter(id__in=scope.plan_ids)


def _duty_filter(scope: Scope) -> Q:
    """Tasks and targets a unit leads or cooperates on, directly or through a unit group."""
    return Q(duties__unit_id__in=scope.unit_ids) | Q(duties__group__members__id__in=scope.unit_ids)


def targets(scope: Scope, qs: QuerySet, action: Action) -> QuerySet:
    if action == Action.CHANGE:
        return qs if scope.is_office else qs.none()
    if scope.everything:
        return qs
    mine = Q(area__in=[Area.OVERALL, Area.GOVERNANCE]) | _duty_filter(scope)
    if scope.role == Role.BANK:
        # A bank takes part in the plan's financing (new loans, aggregate financing, listings): it reads those
        # targets and so the indicators behind them; never a project's ledger.
        mine |= Q(area=Area.FINANCING)
    mine |= Q(scope_unit_id__in=scope.unit_ids) | Q(scope_group__members__id__in=scope.unit_ids)
    if scope.domain_ids:
        mine |= Q(scope_domain_id__in=scope.domain_ids) | Q(measure_domain_id__in=scope.domain_ids)
    ids = plan_bound(scope, qs.model.objects.filter(mine)).values("id")
    return qs.filter(id__in=ids)


def tasks(scope: Scope, qs: QuerySet, action: Action) -> QuerySet:
    if action == Action.CHANGE:
        return qs if scope.is_office else qs.none()
    if scope.everything:
        return qs
    mine = _duty_filter(scope)
    if scope.domain_ids:
        mine |= Q(targets__scope_domain_id__in=scope.domain_ids) | Q(targets__measure_domain_id__in=scope.domain_ids)
    ids = plan_bound(scope, qs.model.objects.filter(mine)).values("id")
    return qs.filter(id__in=ids)


def indicators(scope: Scope, qs: QuerySet, action: Action) -> QuerySet:
    """Everyone reads the indicators behind the targets they see; only the reporting unit enters them."""
    if scope.everything and action == Action.VIEW:
        return qs
    if action == Action.CHANGE:
        return plan_bound(scope, qs.filter(reported_by_id__in=scope.unit_ids)) if scope.unit_ids else qs.none()
    behind = targets(scope, Target.objects.all(), Action.VIEW).values("indicator_id")
    return plan_bound(scope, qs.filter(Q(reported_by_id__in=scope.unit_ids) | Q(id__in=behind)))


def plan_directory(scope: Scope, qs: QuerySet, action: Action) -> QuerySet:
    """Work groups and unit groups of the plans the user sees; read-only except for the office."""
    if action == Action.CHANGE:
        return qs if scope.is_office else qs.none()
    return plan_bound(scope, qs)


def register() -> None:
    scoping.register(Plan, plans)
    scoping.register(Target, targets)
    scoping.register(Task, tasks)
    scoping.register(Indicator, indicators)
    scoping.register(WorkGroup, plan_directory)
    scoping.register(UnitGroup, plan_directory)
    # Domains and collections are a directory shared by every plan (the 三员 read it like the units).
    scoping.register(Domain, scoping.directory, administrative=True)
    scoping.register(Collection, scoping.directory, administrative=True)
    scoping.exempt(Responsibility, "a duty is read through its task or target (their rules follow duties)")
