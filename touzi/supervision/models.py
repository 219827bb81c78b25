from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from touzi.plans.models import Plan
from touzi.projects.models import Project
from touzi.supervision.choices import OPEN, TaskStatus
from touzi.units.models import Unit


class SupervisionTask(models.Model):
    """督办任务: a problem the plan office asks a unit to fix by a deadline, followed until verified."""

    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="supervision_tasks")
    project = models.ForeignKey(Project, null=True, blank=True, on_delete=models.PROTECT, related_name="tasks")
    warning_key = models.CharField(_("来源预警"), max_length=96, blank=True, db_index=True)
    problem = models.TextField(_("问题"))
    required_action = models.TextField(_("整改要求"))
    responsible_unit = models.ForeignKey(Unit, verbose_name=_("责任单位"), on_delete=models.PROTECT,
                                         related_name="supervision_tasks")
    # The county where the project sits, when the responsible unit is a bureau: it answers for the site.
    co_responsible_unit = models.ForeignKey(Unit, verbose_name=_("配合单位"), null=True, blank=True,
                                            on_delete=models.PROTECT, related_name="co_supervision_tasks")
    deadline = models.DateField(_("整改时限"))
    status = models.CharField(_("状态"), max_length=16, choices=TaskStatus.choices, default=TaskStatus.ISSUED,
                              db_index=True)
    rectification = models.TextField(_("整改情况"), blank=True)
    evidence = models.FileField(_("整改佐证"), upload_to="supervision/%Y/%m/", blank=True)
    evidence_name = models.CharField(max_length=255, blank=True)
    # The type detected from the file's content when it was checked: what it is served as, whatever its name.
    evidence_type = models.CharField(max_length=64, blank=True)
    evidence_flags = models.JSONField(default=list, blank=True)
    return_reason = models.TextField(_("退回原因"), blank=True)
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    raised_at = models.DateTimeField(_("下发时间"), auto_now_add=True)
    rectified_at = models.DateTimeField(_("整改时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("核销时间"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("督办任务")
        verbose_name_plural = _("督办任务")
        ordering = ["status", "deadline", "id"]
        indexes = [models.Index(fields=["responsible_unit", "status"]), models.Index(fields=["deadline"])]
        constraints = [
            # One open task per warning: raising it twice is a no-op, not a duplicate.
            models.UniqueConstraint(fields=["warning_key"], condition=~models.Q(warning_key="")
                                    & ~models.Q(status=TaskStatus.CLOSED), name="one_open_task_per_warning"),
        ]

    def __str__(self) -> str:
        return self.problem[:40]

    @property
    def is_overdue(self) -> bool:
        return self.status in OPEN and self.deadline < timezone.localdate()


class Notification(models.Model):
    """站内通知: what a unit's users see in their to-do list when a task is issued, returned or overdue."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="notifications")
    task = models.ForeignKey(SupervisionTask, on_delete=models.CASCADE, related_name="notifications")
    message = models.CharField(_("内容"), max_length=255)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("通知")
        verbose_name_plural = _("通知")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["unit", "read_at"])]

    def __str__(self) -> str:
        return self.message
