from django.db import models
from django.utils.translation import gettext_lazy as _


class TaskStatus(models.TextChoices):
    ISSUED = "issued", _("已下发")
    RECTIFYING = "rectifying", _("整改中")
    RECTIFIED = "rectified", _("已整改")
    CLOSED = "closed", _("已核销")
    RETURNED = "returned", _("退回")


OPEN = (TaskStatus.ISSUED, TaskStatus.RECTIFYING, TaskStatus.RETURNED, TaskStatus.RECTIFIED)
# What the responsible unit still has to do (its to-do list).
TO_DO = (TaskStatus.ISSUED, TaskStatus.RECTIFYING, TaskStatus.RETURNED)

MOVES: dict[str, frozenset[str]] = {
    TaskStatus.ISSUED: frozenset({TaskStatus.RECTIFYING, TaskStatus.RECTIFIED}),
    TaskStatus.RECTIFYING: frozenset({TaskStatus.RECTIFIED}),
    TaskStatus.RETURNED: frozenset({TaskStatus.RECTIFYING, TaskStatus.RECTIFIED}),
    TaskStatus.RECTIFIED: frozenset({TaskStatus.CLOSED, TaskStatus.RETURNED}),
    TaskStatus.CLOSED: frozenset(),
}
