"""Reading supervision tasks, always through the scoping function."""

from __future__ import annotations

from typing import TypedDict

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from touzi.core.actor import Actor
from touzi.core.scoping import scope
from touzi.supervision.choices import OPEN, TO_DO
from touzi.supervision.models import Notification, SupervisionTask


def visible_tasks(user: Actor) -> QuerySet[SupervisionTask]:
    return scope(user, SupervisionTask.objects.all()).select_related("project", "responsible_unit", "raised_by")


def to_do(user: Actor) -> QuerySet[SupervisionTask]:
    """What the user's unit still has to do."""
    from touzi.core.scoping import scope_of

    return visible_tasks(user).filter(responsible_unit_id__in=scope_of(user).unit_ids, status__in=TO_DO)


class UnitOverdue(TypedDict):
    """One responsible unit's open and overdue tasks."""

    responsible_unit__short_name: str
    responsible_unit__name: str
    open: int
    overdue: int


def overdue_by_unit(tasks: QuerySet[SupervisionTask]) -> list[UnitOverdue]:
    """Open and overdue tasks counted per responsible unit (one grouped query)."""
    today = timezone.localdate()
    return list(tasks.order_by().values("responsible_unit__short_name", "responsible_unit__name")
                .annotate(open=Count("id", filter=Q(status__in=OPEN)),
                          overdue=Count("id", filter=Q(status__in=OPEN, deadline__lt=today)))
                .filter(open__gt=0).order_by("-overdue", "-open"))


def unread(user: Actor) -> QuerySet[Notification]:
    return scope(user, Notification.objects.filter(read_at__isnull=True))


def open_tasks_of_warnings(keys: list[str]) -> dict[str, int]:
    """{warning key: id of its open task} (at most one open task per warning: the model's constraint)."""
    if not keys:
        return {}
    return dict(SupervisionTask.objects.filter(warning_key__in=keys, status__in=OPEN)
                .values_list("warning_key", "id"))
