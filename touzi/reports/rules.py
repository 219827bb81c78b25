"""Reporting rules that come from the plan in force for a year, or from settings."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings


def combines_jan_feb(year: int) -> bool:
    """Whether January and February are reported together (1—2月) in that year, as the plan in force says."""
    from touzi.plans.models import Plan

    plans = Plan.objects.filter(start_year__lte=year, end_year__gte=year)
    preferred = plans.filter(key=settings.DEFAULT_PLAN_KEY).values_list("combine_jan_feb", flat=True).first()
    if preferred is not None:
        return preferred
    any_plan = plans.values_list("combine_jan_feb", flat=True).first()
    return True if any_plan is None else any_plan


def spike_factor() -> Decimal:
    """A month above this multiple of the project's recent average is flagged for the reviewer."""
    return Decimal(settings.REPORT_SPIKE_FACTOR)
