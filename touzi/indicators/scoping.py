"""Indicator values: a unit enters its own indicators; everyone who sees the indicator sees its values."""

from __future__ import annotations

from django.db.models import QuerySet

from touzi.core import scoping
from touzi.core.scoping import Action, Scope
from touzi.indicators.models import IndicatorValue
from touzi.plans.models import Indicator
from touzi.plans.scoping import indicators


def indicator_values(scope: Scope, qs: QuerySet, action: Action) -> QuerySet:
    return qs.filter(indicator__in=indicators(scope, Indicator.objects.all(), action))


def register() -> None:
    scoping.register(IndicatorValue, indicator_values)
