from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest


def touzi(request: HttpRequest) -> dict[str, Any]:
    return {"DEMO_MODE": settings.DEMO_MODE, "current_plan": getattr(request, "plan", None)}
