from __future__ import annotations

from typing import Any

from django.http import HttpRequest


def touzi(request: HttpRequest) -> dict[str, Any]:
    from touzi.core.scoping import scope_of

    user = getattr(request, "user", None)
    business = scope_of(user).business if user is not None else False
    todo_count = 0
    if business and scope_of(user).unit_ids:
        from touzi.supervision.selectors import to_do

        todo_count = to_do(user).count()
    return {"current_plan": getattr(request, "plan", None),
            "sees_business": business, "todo_count": todo_count, "other_plans": _plans_to_switch(request, business)}


def _plans_to_switch(request: HttpRequest, business: bool) -> list[Any]:
    """The plans the user works in, when there is more than one to choose from (a province's and a city's)."""
    if not business or getattr(request, "plan", None) is None:
        return []
    from touzi.plans.selectors import visible_plans

    plans = list(visible_plans(request.user).order_by("-region_code", "key")[:20])
    return plans if len(plans) > 1 else []
