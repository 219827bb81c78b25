"""Reads of the disclosure pages inside the platform, all through `scope()`."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Max, Prefetch, Q, QuerySet

from touzi.core.scoping import Action, scope
from touzi.disclosure.choices import OpinionState, VersionState
from touzi.disclosure.models import Consultation, DisclosureItem, ItemVersion, OfficeExemption, Opinion
from touzi.disclosure.services import disclosable, pending_versions
from touzi.projects.models import Project, StageDecision


def my_projects(user: Any) -> QuerySet[Project]:
    """The disclosable projects the user may see, with how many items are public and how many wait."""
    return (disclosable(scope(user, Project.objects.all()))
            .select_related("county", "owner")
            .annotate(public_items=Count("disclosure_items", filter=Q(disclosure_items__published_on__isnull=False),
                                         distinct=True),
                      waiting=Count("disclosure_items__versions",
                                    filter=Q(disclosure_items__versions__state=VersionState.PENDING), distinct=True),
                      last_published=Max("disclosure_items__published_on"))
            .order_by("county__division_code", "name"))


def queue(user: Any) -> QuerySet[ItemVersion]:
    """Versions waiting for this user's decision, among those the user may see."""
    return scope(user, pending_versions(user)).order_by("prepared_at")


def project_items(user: Any, project: Project) -> QuerySet[DisclosureItem]:
    return (scope(user, DisclosureItem.objects.filter(project=project)).select_related("responsible")
            .prefetch_related(Prefetch("versions", ItemVersion.objects.select_related("prepared_by", "decided_by")
                                       .order_by("-number"))))


def project_consultations(user: Any, project: Project) -> QuerySet[Consultation]:
    return scope(user, Consultation.objects.filter(project=project)).prefetch_related(
        Prefetch("opinions", Opinion.objects.order_by("submitted_at")))


def pending_opinions(user: Any) -> QuerySet[Opinion]:
    return (scope(user, Opinion.objects.filter(state=OpinionState.PENDING), Action.CHANGE)
            .select_related("consultation__project"))


def exemptions(user: Any) -> QuerySet[OfficeExemption]:
    return scope(user, OfficeExemption.objects.select_related("project", "recorded_by"))


def stage_decisions(user: Any) -> QuerySet[StageDecision]:
    return scope(user, StageDecision.objects.select_related("project", "project__county"))
