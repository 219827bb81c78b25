"""Scoping rules of core's own models, registered like any app's (touzi/<app>/scoping.py)."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from touzi.core import scoping
from touzi.core.models import BackgroundJob, DemoDatabase, JobKind
from touzi.core.roles import Role
from touzi.core.scoping import Action, Scope


def background_jobs(scope: Scope, qs: QuerySet, action: Action) -> QuerySet:
    """A job is its starter's; every system administrator sees the backups (they answer for them together)."""
    if action != Action.VIEW or scope.user_id is None:
        return qs.none()
    mine = Q(user_id=scope.user_id)
    return qs.filter(mine | Q(kind=JobKind.BACKUP) if scope.role == Role.SYSTEM_ADMIN else mine)


def register() -> None:
    scoping.register(BackgroundJob, background_jobs, administrative=True)
    scoping.exempt(DemoDatabase, "one marker row read by demo mode, never listed")
