from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from touzi.plans.models import Plan


class BriefingStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    PUBLISHED = "published", _("已印发")


class BriefingRecord(models.Model):
    """通报: one month's briefing; a published version's content (every figure) is frozen in `content`."""

    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="briefings")
    month = models.DateField(_("月份"))
    version = models.PositiveSmallIntegerField(_("版本"), default=1)
    status = models.CharField(
        _("状态"), max_length=16, choices=BriefingStatus.choices, default=BriefingStatus.DRAFT
    )
    title = models.CharField(_("标题"), max_length=255)
    number = models.CharField(_("文号"), max_length=64, blank=True)
    content = models.JSONField(_("内容"))
    change_note = models.TextField(_("更正说明"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_at = models.DateTimeField(_("印发时间"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("通报")
        verbose_name_plural = _("通报")
        ordering = ["-month", "-version"]
        constraints = [models.UniqueConstraint(fields=["plan", "month", "version"], name="briefing_version")]
        permissions = [("publish_briefing", _("生成和印发通报"))]

    def __str__(self) -> str:
        return f"{self.title} v{self.version}"
