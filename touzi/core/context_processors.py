"""What every page's template needs from core: the plan in force and whether the user sees business data.
Apps add their own (the demo's banner, supervision's to-do count, plans' switcher) as context processors in
settings."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from touzi.core.scoping import scope_of


def sees_business(request: HttpRequest) -> bool:
    user = getattr(request, "user", None)
    return scope_of(user).business if user is not None else False


def touzi(request: HttpRequest) -> dict[str, Any]:
    return {"current_plan": getattr(request, "plan", None), "sees_business": sees_business(request)}
