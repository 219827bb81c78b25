"""Reads of the assessment, all through scope(): the schemes a user sees, the units whose scores they see."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from touzi.assessment.models import AssessmentScheme, ManualAdjustment
from touzi.core.roles import Role
from touzi.core.scoping import scope


def visible_schemes(user: Any, plan: Any) -> QuerySet[AssessmentScheme]:
    return scope(user, AssessmentScheme.objects.filter(plan=plan)).order_by("order", "key")


def visible_adjustments(user: Any, scheme: AssessmentScheme, year: int) -> QuerySet[ManualAdjustment]:
    return scope(user, ManualAdjustment.objects.filter(scheme=scheme, year=year)).select_related(
        "unit", "created_by").order_by("created_at")


def may_adjust(user: Any, scheme: AssessmentScheme) -> bool:
    return getattr(user, "role", None) == Role.PLAN_OFFICE and user.has_perm("assessment.adjust_assessment")
