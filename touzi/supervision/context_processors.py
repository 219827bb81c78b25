"""The to-do count in every page's header: open supervision tasks of the user's units."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from touzi.core.context_processors import sees_business
from touzi.core.scoping import scope_of
from touzi.supervision.selectors import to_do


def supervision(request: HttpRequest) -> dict[str, Any]:
    todo_count = 0
    user = request.user
    if user.is_authenticated and sees_business(request) and scope_of(user).unit_ids:
        todo_count = to_do(user).count()
    return {"todo_count": todo_count}
