"""Who sees the assessment (rules for touzi.core.scoping, registered from the app's ready()).

A scheme is read by everyone working in its plan (it is part of the plan file) and changed by no one here (the
plan office edits the file). A unit's scores, breakdown, rank and manual adjustments are its own: the plan office
and the roles that read everything see every unit; a county, a park's committee or a lead unit sees the units it
answers for (`scope.unit_ids`). Only the plan office adds adjustments.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from touzi.assessment.models import AssessmentScheme, ManualAdjustment
from touzi.core import scoping
from touzi.core.scoping import Action, Scope, plan_bound, scope_of


def schemes(scope: Scope, qs: QuerySet, action: Action) -> QuerySet:
    if action != Action.VIEW:
        return qs.none()
    return plan_bound(scope, qs)


def sees_all_units(scope: Scope) -> bool:
    return scope.is_office or scope.everything


def adjustments(scope: Scope, qs: QuerySet, action: Action) -> QuerySet:
    qs = qs if scope.plan_ids is None else qs.filter(scheme__plan_id__in=scope.plan_ids)
    if action == Action.CHANGE:
        return qs if scope.is_office else qs.none()
    if action != Action.VIEW:
        return qs.none()
    return qs if sees_all_units(scope) else qs.filter(unit_id__in=scope.unit_ids)


def visible_unit_ids(user: Any, unit_ids: set[int]) -> set[int]:
    """Which of the assessed units' scores the user may see."""
    who = scope_of(user)
    if who.role is None or not who.business:
        return set()
    return set(unit_ids) if sees_all_units(who) else set(unit_ids) & set(who.unit_ids)


def register() -> None:
    scoping.register(AssessmentScheme, schemes)
    scoping.register(ManualAdjustment, adjustments)
