"""The approvals to-do count in every page's header: approvals waiting for the user's units."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from touzi.approvals.selectors import to_do_count
from touzi.core.context_processors import sees_business
from touzi.core.scoping import scope_of


def approvals(request: HttpRequest) -> dict[str, Any]:
    approvals_todo = 0
    if sees_business(request) and scope_of(request.user).unit_ids:
        approvals_todo = to_do_count(request.user)
    return {"approvals_todo": approvals_todo}
