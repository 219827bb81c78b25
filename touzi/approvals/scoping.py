"""Who sees and changes approvals: the project's people, its agent (代办), and the approving unit (审批部门),
which sees only the approvals it handles (rules for touzi.core.scoping, registered from the app's ready())."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from touzi.core import scoping
from touzi.core.roles import Role
from touzi.core.scoping import Action, Scope, region_filter
from touzi.projects.scoping import project_filter


def _region(scope: Scope, prefix: str) -> Q | None:
    return region_filter(scope, f"{prefix}county__division_code")


def _approval_filter(scope: Scope, action: Action, prefix: str = "") -> Q | None:
    """The approvals a user may see or act on; None: all. `prefix` reaches them from a child record."""
    units = scope.unit_ids
    if scope.is_office or (action == Action.VIEW and scope.everything):
        return _region(scope, prefix + "project__")
    if action not in (Action.VIEW, Action.CHANGE):
        return Q(pk__in=[])
    handled = Q(**{f"{prefix}approving_unit_id__in": units})
    if scope.role == Role.APPROVER:
        return handled
    agent = Q(**{f"{prefix}project__approval_profile__agent_unit_id__in": units})
    project = project_filter(scope, action, prefix + "project__")
    return handled | agent | (project if project is not None else Q())


def approvals(scope: Scope, qs: QuerySet, action: Action) -> QuerySet:
    allowed = _approval_filter(scope, action)
    return qs if allowed is None else qs.filter(allowed)


def profiles(scope: Scope, qs: QuerySet, action: Action) -> QuerySet:
    """A project's approval settings: read with the project (and by its agent); changed by who changes it."""
    allowed = project_filter(scope, action, "project__")
    if action == Action.VIEW and scope.unit_ids and not scope.everything:
        allowed = Q(agent_unit_id__in=scope.unit_ids) | (allowed if allowed is not None else Q())
        return qs.filter(allowed)
    return qs if allowed is None else qs.filter(allowed)


def reference(scope: Scope, qs: QuerySet, action: Action) -> QuerySet:
    """The kinds and procedure rules: everyone in the plan reads them; the plan office keeps them."""
    if action == Action.VIEW:
        return qs
    return qs if scope.is_office else qs.none()


def _session_filter(scope: Scope, action: Action, prefix: str = "") -> Q | None:
    from touzi.approvals.models import Approval, ReviewSession

    if scope.is_office or (action == Action.VIEW and scope.everything):
        return None
    units = scope.unit_ids
    mine = Q(**{f"{prefix}convened_by_id__in": units})
    if action != Action.VIEW:
        return mine
    visible = approvals(scope, Approval.objects.all(), Action.VIEW).values("id")
    took_part = ReviewSession.objects.filter(Q(units__id__in=units) | Q(approvals__id__in=visible)).values("id")
    return mine | Q(**{f"{prefix}id__in": took_part})


def sessions(scope: Scope, qs: QuerySet, action: Action) -> QuerySet:
    """A session is seen by its convener, its units and whoever sees one of its approvals; the office and the
    convener record it."""
    allowed = _session_filter(scope, action)
    return qs if allowed is None else qs.filter(allowed)


def session_children(scope: Scope, qs: QuerySet, action: Action) -> QuerySet:
    from touzi.approvals.models import ReviewSession

    return qs.filter(session__in=sessions(scope, ReviewSession.objects.all(), action).values("id"))


def register() -> None:
    from touzi.approvals.models import (
        Approval,
        ApprovalKind,
        ApprovalProfile,
        ComplianceRule,
        FollowUp,
        ReviewSession,
        SessionOpinion,
    )

    scoping.register(Approval, approvals)
    scoping.register(ApprovalProfile, profiles)
    scoping.register(ApprovalKind, reference)
    scoping.register(ComplianceRule, reference)
    scoping.register(ReviewSession, sessions)
    scoping.register(SessionOpinion, session_children)
    scoping.register(FollowUp, session_children)
