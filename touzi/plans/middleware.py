from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.functional import SimpleLazyObject

from touzi.plans.selectors import current_plan


class CurrentPlanMiddleware:
    """`request.plan`: the plan the user chose (kept in the session), or the default one they may see."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.plan = SimpleLazyObject(lambda: current_plan(request))
        return self.get_response(request)
