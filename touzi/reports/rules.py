"""Reporting rules that come from the plan in force for a year, or from settings."""

from __future__ import annotations

from contextvars import ContextVar
from decimal import Decimal
from typing import Any

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


# Pages print many periods (a list of 50 February reports): the plan is asked once per year per request. The
# memo lives only between request_started and request_finished (connected in apps.py); elsewhere (commands,
# tests calling the filters directly) every call asks the database, so nothing is ever stale.
_shown_years: ContextVar[dict[int, bool] | None] = ContextVar("touzi_jan_feb_shown", default=None)


def combines_jan_feb_shown(year: int) -> bool:
    """`combines_jan_feb` for display, at most one query per year and request."""
    memo = _shown_years.get()
    if memo is None:
        return combines_jan_feb(year)
    if year not in memo:
        memo[year] = combines_jan_feb(year)
    return memo[year]


def request_started(**kwargs: Any) -> None:
    _shown_years.set({})


def request_finished(**kwargs: Any) -> None:
    _shown_years.set(None)


def spike_factor() -> Decimal:
    """A month above this multiple of the project's recent average is flagged for the reviewer."""
    return Decimal(settings.REPORT_SPIKE_FACTOR)
