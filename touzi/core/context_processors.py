from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest


def touzi(request: HttpRequest) -> dict[str, Any]:
    from touzi.core.scoping import scope_of

    user = getattr(request, "user", None)
    return {"DEMO_MODE": settings.DEMO_MODE, "current_plan": getattr(request, "plan", None),
            "sees_business": scope_of(user).business if user is not None else False}
