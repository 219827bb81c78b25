"""Who sees and changes the pipeline (rules for touzi.core.scoping, registered from ready()).

A concept is its county's and its proposer's: a county proposes for its area, a bureau (lead unit) for its
field; both read and change their own concepts until screened. The plan office screens every concept of its
region; the roles that read everything read them all. Milestones hang off their project (whoever keeps the
project keeps its milestones). 前期经费 rows are their county's (it reads them) and kept by the office.
The statistics register (统计入库) is read with the project and kept by the statistics bureau and the office.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from touzi.core import scoping
from touzi.core.roles import Role
from touzi.core.scoping import Action, Scope
from touzi.pipeline.models import Concept, Milestone, PreliminaryFund, Registration
from touzi.projects.scoping import project_children, project_filter


def _apply(qs: QuerySet, allowed: Q | None) -> QuerySet:
    return qs if allowed is None else qs.filter(allowed)


def concepts(scope: Scope, qs: QuerySet, action: Action) -> QuerySet:
    region = scoping.region_filter(scope, "county__division_code")
    if scope.is_office:
        return _apply(qs, region)
    if action == Action.REVIEW:
        return qs.none()
    if action == Action.VIEW and scope.everything:
        return _apply(qs, region)
    mine = Q(county_id__in=scope.unit_ids) | Q(proposer_id__in=scope.unit_ids)
    if action == Action.CHANGE and scope.role not in (Role.COUNTY, Role.LEAD_UNIT):
        return qs.none()
    return qs.filter(mine)


def may_propose(scope: Scope, county: Any, proposer: Any) -> bool:
    """The CHANGE rule above for a concept not saved yet."""
    if scope.role is None or not scope.business:
        return False
    if scope.is_office:
        return not scope.region or (county.division_code or "").startswith(scope.region)
    if scope.role == Role.COUNTY:
        return county.pk in scope.unit_ids and proposer.pk in scope.unit_ids
    if scope.role == Role.LEAD_UNIT:
        return proposer.pk in scope.unit_ids
    return False


def funds(scope: Scope, qs: QuerySet, action: Action) -> QuerySet:
    region = scoping.region_filter(scope, "county__division_code")
    if scope.is_office or (action == Action.VIEW and scope.everything):
        return _apply(qs, region)
    if action == Action.VIEW:
        return qs.filter(county_id__in=scope.unit_ids)
    return qs.none()


def registrations(scope: Scope, qs: QuerySet, action: Action) -> QuerySet:
    """Read with the project; recorded by the statistics bureau (REVIEW on the project) or the office."""
    if action == Action.VIEW:
        return _apply(qs, project_filter(scope, Action.VIEW, "project__"))
    if scope.is_office or scope.role == Role.STATISTICS:
        return _apply(qs, project_filter(scope, Action.VIEW, "project__"))
    return qs.none()


def register() -> None:
    scoping.register(Concept, concepts)
    scoping.register(Milestone, project_children("project__"))
    scoping.register(PreliminaryFund, funds)
    scoping.register(Registration, registrations)
