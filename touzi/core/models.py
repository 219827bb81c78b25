"""The state of a background job (briefing generation, backup) that a user started from the web.

The row is the job's outcome for whoever looks, from any process: queued, running, done (with what it
made) or failed (with why, in Chinese). Progress while it runs goes to the cache (`touzi.core.jobs.progress`),
outside the job's transaction; the row's final status is committed together with what the job wrote.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from touzi.core.choices import JobKind, JobStatus

__all__ = ["BackgroundJob", "DemoDatabase", "JobKind", "JobStatus"]


class BackgroundJob(models.Model):
    kind = models.CharField(_("类型"), max_length=16, choices=JobKind.choices)
    status = models.CharField(_("状态"), max_length=16, choices=JobStatus.choices, default=JobStatus.QUEUED)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    params = models.JSONField(_("参数"), default=dict)  # what the job was asked to do (plan id, month)
    message = models.TextField(_("说明"), blank=True)  # why it failed, or what it did
    result_id = models.PositiveBigIntegerField(null=True, blank=True)  # the briefing record it made
    result_name = models.CharField(max_length=255, blank=True)  # the backup file it wrote
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("后台任务")
        verbose_name_plural = _("后台任务")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["kind", "user", "-created_at"], name="job_kind_user")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"

    @property
    def finished(self) -> bool:
        return self.status in (JobStatus.DONE, JobStatus.FAILED)


class DemoDatabase(models.Model):
    """This database was built by `touzi demo`: its accounts with the public demo password are meant to be there.

    One row at most, written (and audited) by the demo service. With TOUZI_DEMO unset, demo mode follows it
    (touzi.demo.mode): the README's commands work on the demo database with nothing set, and a database
    without the row still refuses the demo accounts.
    """

    id = models.PositiveSmallIntegerField(primary_key=True, default=1, editable=False)
    built_at = models.DateTimeField(_("建立时间"), auto_now_add=True)
    built_by = models.CharField(_("建立者"), max_length=150, blank=True)  # the shell user, as the audit names it

    class Meta:
        verbose_name = _("演示数据库标记")
        verbose_name_plural = _("演示数据库标记")
        constraints = [models.CheckConstraint(condition=models.Q(id=1), name="demo_database_single_row")]

    def __str__(self) -> str:
        return str(_("本数据库由 touzi demo 建立"))
