"""Who sees and changes the promotion register (rules for touzi.core.scoping, registered from ready()).

An agreement is its county's (and its park's) and its responsible unit's — the 投资促进局 / 招商局 that keeps
the register, or a bureau that brought the investor. Counties and that unit enter and answer for their
agreements; the plan office and the roles that read everything see all of them inside their region; the
statistics bureau (and the office) review the funds-arrived reports.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from touzi.core import scoping
from touzi.core.roles import Role
from touzi.core.scoping import Action, Scope
from touzi.promotion.models import Agreement, AgreementStep, ExchangeRate, FundsReport, PromotionEvent


def _agreement_filter(scope: Scope, action: Action, prefix: str = "") -> Q | None:
    """The agreements a user may see, change or review; None: all of them."""

    def q(**lookups: object) -> Q:
        return Q(**{f"{prefix}{key}": value for key, value in lookups.items()})

    region = scoping.region_filter(scope, f"{prefix}county__division_code")
    if action == Action.REVIEW:
        return region if scope.role in (Role.STATISTICS, Role.PLAN_OFFICE) else Q(pk__in=[])
    if scope.is_office or (action == Action.VIEW and scope.everything):
        return region
    units = scope.unit_ids
    area = q(county_id__in=units) | q(park_id__in=units)
    if action == Action.CHANGE:
        if scope.role == Role.COUNTY:
            return area
        if scope.role == Role.LEAD_UNIT:
            return q(unit_id__in=units)
        return Q(pk__in=[])
    return area | q(unit_id__in=units)


def may_hold(scope: Scope, county: Any, park: Any, unit: Any) -> bool:
    """The CHANGE rule above for an agreement not saved yet (or about to move): may this user hold it?"""
    if scope.role is None or not scope.business:
        return False
    if scope.is_office:
        return not scope.region or (county.division_code or "").startswith(scope.region)
    if scope.role == Role.COUNTY:
        return county.pk in scope.unit_ids or (park is not None and park.pk in scope.unit_ids)
    if scope.role == Role.LEAD_UNIT:
        return unit.pk in scope.unit_ids
    return False


def _apply(qs: QuerySet, allowed: Q | None) -> QuerySet:
    return qs if allowed is None else qs.filter(allowed)


def agreements(scope: Scope, qs: QuerySet, action: Action) -> QuerySet:
    return _apply(qs, _agreement_filter(scope, action))


def agreement_children(scope: Scope, qs: QuerySet, action: Action) -> QuerySet:
    """Steps and funds-arrived reports: whoever may see, change or review the agreement."""
    return _apply(qs, _agreement_filter(scope, action, "agreement__"))


def events(scope: Scope, qs: QuerySet, action: Action) -> QuerySet:
    """Signing events are a shared list: everyone in government reads it; whoever enters agreements adds to it."""
    if action == Action.VIEW:
        return qs
    if action == Action.CHANGE and (scope.is_office or scope.role in (Role.COUNTY, Role.LEAD_UNIT)):
        return qs
    return qs.none()


def exchange_rates(scope: Scope, qs: QuerySet, action: Action) -> QuerySet:
    """The month's US$ rate: read by all, set by the office."""
    if action == Action.VIEW or scope.is_office:
        return qs
    return qs.none()


def register() -> None:
    scoping.register(Agreement, agreements)
    scoping.register(AgreementStep, agreement_children)
    scoping.register(FundsReport, agreement_children)
    scoping.register(PromotionEvent, events)
    scoping.register(ExchangeRate, exchange_rates)
