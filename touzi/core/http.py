"""The request the views receive, typed with what Touzi's middleware sets on it.

Django's HttpRequest knows neither our User model nor the attributes our middleware adds, so a view annotated
with it reads `request.user` as `User | AnonymousUser` and `request.plan` as unknown. Views behind login are
annotated with `TouziRequest` instead: the checker then knows `request.user` is Touzi's User (never Any) and
`request.plan` the plan the user works in. The classes are annotations only; Django still builds an
HttpRequest (WSGIRequest) and the middleware sets the attributes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.http import HttpRequest

if TYPE_CHECKING:
    from touzi.accounts.models import User
    from touzi.accounts.policy import Step
    from touzi.plans.models import Plan


class AnyUserRequest(HttpRequest):
    """Any request, signed in or not, with what Touzi's middleware, the sign-in flow and django-axes set on it."""

    # Why a sign-in, sign-out or refusal happened; audit.signals writes it into the record.
    touzi_audit_message: str
    # Set for AxesMiddleware, which then answers with the lockout page.
    axes_locked_out: bool
    axes_credentials: dict[str, Any]
    # CurrentPlanMiddleware: the plan the user chose or may see; None when signed out or they may see none.
    plan: Plan | None
    # accounts.policy.pending_step: what the session still owes (a one-time code …), worked out once per request.
    _touzi_pending_step: Step | None


class TouziRequest(AnyUserRequest):
    """A request behind `login_required` (or a check of `is_authenticated`): a signed-in Touzi user."""

    user: User
