from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from touzi.audit.chain import HASH_VERSION
from touzi.audit.choices import Event, Source


class AuditRecordQuerySet(models.QuerySet):
    """Audit records are append-only: bulk changes are refused as well."""

    def update(self, **kwargs: Any) -> int:
        raise PermissionError("audit records cannot be changed")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise PermissionError("audit records cannot be deleted")


class AuditRecord(models.Model):
    """审计记录: one state change or security event, written in the same transaction as the change."""

    # Set by the service before hashing (not auto_now_add, which would change it after the hash is taken).
    at = models.DateTimeField(_("时间"), default=timezone.now, db_index=True, editable=False)
    # The actor's id is hashed (hash version 2): deleting an account must not rewrite its records
    # (SET_NULL would, and break the chain), so accounts with records are disabled, never deleted.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("操作人"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )
    # Kept as text so the record still names the actor after an account is removed.
    actor_name = models.CharField(_("操作人账号"), max_length=150, blank=True)
    source = models.CharField(_("来源"), max_length=16, choices=Source.choices)
    ip = models.GenericIPAddressField(_("地址"), null=True, blank=True)
    request_id = models.CharField(_("请求号"), max_length=32, blank=True)
    event = models.CharField(_("事件"), max_length=32, choices=Event.choices, db_index=True)
    object_type = models.CharField(_("对象类型"), max_length=64, blank=True, db_index=True)
    object_id = models.CharField(_("对象编号"), max_length=64, blank=True, db_index=True)
    object_repr = models.CharField(_("对象"), max_length=255, blank=True)
    # What the record belongs to for history pages, e.g. "project:42" for a project's plans and reports too.
    subject = models.CharField(_("所属"), max_length=64, blank=True, db_index=True)
    before = models.JSONField(_("变更前"), null=True, blank=True)
    after = models.JSONField(_("变更后"), null=True, blank=True)
    success = models.BooleanField(_("成功"), default=True)
    message = models.TextField(_("说明"), blank=True)
    # Tamper evidence: a keyed hash of this record's content and the previous record's hash.
    prev_hash = models.CharField(max_length=64, blank=True, editable=False)
    hash = models.CharField(max_length=64, blank=True, editable=False)
    # Which fields the hash covers (touzi.audit.chain.hashed_fields). The database default 1 is what records
    # written before versions existed are, and what a worker still on the old code writes during an upgrade.
    hash_version = models.PositiveSmallIntegerField(default=HASH_VERSION, db_default=1, editable=False)

    objects = AuditRecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("审计记录")
        verbose_name_plural = _("审计记录")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id", "at"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name} {self.event} {self.object_repr}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise PermissionError("audit records cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise PermissionError("audit records cannot be deleted")
