"""The plan switcher in the header: the plans the user works in, when there is more than one."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from touzi.core.context_processors import sees_business
from touzi.plans.selectors import visible_plans


def plans(request: HttpRequest) -> dict[str, Any]:
    return {"other_plans": _plans_to_switch(request)}


def _plans_to_switch(request: HttpRequest) -> list[Any]:
    """The plans the user works in, when there is more than one to choose from (a province's and a city's)."""
    if getattr(request, "plan", None) is None or not sees_business(request):
        return []
    plans = list(visible_plans(request.user).order_by("-region_code", "key")[:20])
    return plans if len(plans) > 1 else []
