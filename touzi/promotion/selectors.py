"""Reading the promotion register, always through the scoping function."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from touzi.core.actor import Actor
from touzi.core.scoping import Action, scope
from touzi.promotion.models import Agreement, FundsReport


def visible_agreements(user: Actor) -> QuerySet[Agreement]:
    return scope(user, Agreement.objects.all()).select_related("county", "park", "unit", "event", "project")


def changeable_agreements(user: Actor) -> QuerySet[Agreement]:
    return scope(user, Agreement.objects.all(), Action.CHANGE)


def visible_funds(user: Actor) -> QuerySet[FundsReport]:
    return scope(user, FundsReport.objects.all()).select_related("agreement", "agreement__county")


def review_queue(user: Actor) -> QuerySet[FundsReport]:
    return scope(user, FundsReport.objects.filter(status="submitted"), Action.REVIEW).select_related(
        "agreement", "agreement__county").order_by("month", "agreement__code")


def filtered(qs: QuerySet[Agreement], params: Any) -> QuerySet[Agreement]:
    """The register's filters (the page, the API and the export share them)."""
    if params.get("county"):
        qs = qs.filter(county__key=params["county"])
    if params.get("state"):
        qs = qs.filter(state=params["state"])
    if str(params.get("year") or "").isdigit():
        qs = qs.filter(signed_on__year=int(params["year"]))
    if str(params.get("event") or "").isdigit():
        qs = qs.filter(event_id=int(params["event"]))
    if params.get("sector"):
        qs = qs.filter(sector__startswith=str(params["sector"]).upper())
    if params.get("investor_kind"):
        qs = qs.filter(investor_kind=params["investor_kind"])
    if params.get("q"):
        qs = qs.filter(name__icontains=params["q"]) | qs.filter(investor__icontains=params["q"])
    return qs
