from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from touzi.core.http import AnyUserRequest
from touzi.plans.selectors import current_plan


class CurrentPlanMiddleware:
    """`request.plan`: the plan the user chose (kept in the session), or the default one they may see."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: AnyUserRequest) -> HttpResponse:
        # Eager and simple: one indexed query, and `request.plan is None` means what it says.
        request.plan = current_plan(request) if request.user.is_authenticated else None
        return self.get_response(request)
