"""Who sees and changes the factor ledgers (rules for touzi.core.scoping, registered from ready()).

The factor bureaus are not a role of their own: a bureau is a unit (its users are lead units or approvers),
and the office says which kinds of quota it keeps (`FactorKeeper`: 市自然资源局 keeps the land kinds, 林业局
the forest, 发展改革委 the energy, 生态环境局 the pollutants). A keeper reads every quota and allocation of its
kinds across the city, enters the quotas with their documents and decides the requests (Action.REVIEW); it
sees nothing of the other kinds. A county reads its own quotas (and its parks') and the allocations of its
area, and requests quotas for its projects (Action.CHANGE, as does the project's owner). The plan office and
the roles that read everything see it all inside their region; the office may do what a keeper does.
Idle land parcels are the land keepers' and the counties'.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Q, QuerySet

from touzi.core import scoping
from touzi.core.roles import Role
from touzi.core.scoping import Action, Scope
from touzi.factors.choices import LAND_KINDS
from touzi.projects.scoping import project_filter

NONE = Q(pk__in=[])


def kept_kinds(scope: Scope) -> set[str]:
    """The kinds of quota the user's unit keeps (empty for everyone but the factor bureaus)."""
    from touzi.factors.models import FactorKeeper

    if not scope.unit_ids or scope.role not in (Role.LEAD_UNIT, Role.APPROVER):
        return set()
    return set(FactorKeeper.objects.filter(unit_id__in=scope.unit_ids).values_list("kind", flat=True))


def keeps(scope: Scope, kind: str) -> bool:
    return scope.is_office or kind in kept_kinds(scope)


def _region(scope: Scope, prefix: str) -> Q | None:
    return scoping.region_filter(scope, f"{prefix}county__division_code")


def _kinds(prefix: str, kinds: Iterable[str]) -> Q:
    return Q(**{f"{prefix}kind__in": sorted(kinds)})


def _area(scope: Scope, prefix: str) -> Q:
    return Q(**{f"{prefix}county_id__in": scope.unit_ids}) | Q(**{f"{prefix}park_id__in": scope.unit_ids})


def quota_filter(scope: Scope, action: Action, prefix: str = "") -> Q | None:
    """The quotas a user may see (VIEW) or enter and change (CHANGE); None: all of them."""
    if scope.is_office or (action == Action.VIEW and scope.everything):
        return _region(scope, prefix)
    kinds = kept_kinds(scope)
    mine = _kinds(prefix, kinds) if kinds else NONE
    if action == Action.VIEW:
        return mine | (_area(scope, prefix) if scope.role == Role.COUNTY else NONE)
    return mine if action == Action.CHANGE else NONE


def allocation_filter(scope: Scope, action: Action, prefix: str = "") -> Q | None:
    """VIEW: the allocations of the quotas one sees and of the projects one sees; CHANGE (request, withdraw):
    who changes the project (its county, owner or lead unit) or the office; REVIEW (approve, refuse, take back):
    the keeper of the kind or the office."""
    if scope.is_office or (action == Action.VIEW and scope.everything):
        return _region(scope, prefix + "quota__")
    kinds = kept_kinds(scope)
    kept = _kinds(prefix + "quota__", kinds) if kinds else NONE
    if action == Action.REVIEW:
        return kept
    project = project_filter(scope, action, prefix + "project__")
    project_q = project if project is not None else Q()
    if action == Action.CHANGE:
        return project_q
    area = _area(scope, prefix + "quota__") if scope.role == Role.COUNTY else NONE
    return kept | area | project_q


def parcel_filter(scope: Scope, action: Action) -> Q | None:
    if scope.is_office or (action == Action.VIEW and scope.everything):
        return _region(scope, "")
    if action == Action.REVIEW:
        return NONE
    if kept_kinds(scope) & set(LAND_KINDS):
        return None
    return _area(scope, "") if scope.role == Role.COUNTY else NONE


def _apply(qs: QuerySet, allowed: Q | None) -> QuerySet:
    return qs if allowed is None else qs.filter(allowed)


def quotas(scope: Scope, qs: QuerySet, action: Action) -> QuerySet:
    return _apply(qs, quota_filter(scope, action))


def allocations(scope: Scope, qs: QuerySet, action: Action) -> QuerySet:
    return _apply(qs, allocation_filter(scope, action))


def parcels(scope: Scope, qs: QuerySet, action: Action) -> QuerySet:
    return _apply(qs, parcel_filter(scope, action))


def keepers(scope: Scope, qs: QuerySet, action: Action) -> QuerySet:
    """Which bureau keeps which kind: every government user reads it; the office sets it."""
    return scoping.directory(scope, qs, action)


def goals(scope: Scope, qs: QuerySet, action: Action) -> QuerySet:
    """The reuse goals: read by all; set by the office and the land keepers."""
    if action == Action.VIEW:
        return qs
    if action == Action.CHANGE and (scope.is_office or kept_kinds(scope) & set(LAND_KINDS)):
        return qs
    return qs.none()


def register() -> None:
    from touzi.factors.models import Allocation, FactorKeeper, IdleParcel, Quota, ReuseGoal

    scoping.register(Quota, quotas)
    scoping.register(Allocation, allocations)
    scoping.register(IdleParcel, parcels)
    scoping.register(FactorKeeper, keepers)
    scoping.register(ReuseGoal, goals)
