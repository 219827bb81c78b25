"""Choices of the core app: the kinds and states of background jobs."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class JobKind(models.TextChoices):
    BRIEFING = "briefing", _("生成通报")
    BACKUP = "backup", _("备份")


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("排队中")
    RUNNING = "running", _("进行中")
    DONE = "done", pgettext_lazy("job state", "已完成")  # not the target state 已完成 ("Met")
    FAILED = "failed", _("失败")
