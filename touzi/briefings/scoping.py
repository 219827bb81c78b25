"""Briefings: drafts are the office's; a published briefing goes to everyone who works on the plan."""

from __future__ import annotations

from django.db.models import QuerySet

from touzi.briefings.models import BriefingRecord, BriefingStatus
from touzi.core import scoping
from touzi.core.scoping import Action, Scope, plan_bound


def briefings(scope: Scope, qs: QuerySet, action: Action) -> QuerySet:
    if scope.is_office:
        return qs
    if action != Action.VIEW:
        return qs.none()
    return plan_bound(scope, qs.filter(status=BriefingStatus.PUBLISHED))


def register() -> None:
    scoping.register(BriefingRecord, briefings)
