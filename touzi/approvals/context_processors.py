"""The approvals to-do count in every page's header: approvals waiting for the user's units."""

from __future__ import annotations

from typing import Any

from touzi.accounts.models import User
from touzi.approvals.selectors import to_do_count
from touzi.core.context_processors import sees_business
from touzi.core.http import AnyUserRequest
from touzi.core.scoping import scope_of


def approvals(request: AnyUserRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    approvals_todo = 0
    if isinstance(user, User) and sees_business(request) and scope_of(user).unit_ids:
        approvals_todo = to_do_count(user)
    return {"approvals_todo": approvals_todo}
