"""Retention of the audit trail: records are kept at least TOUZI_AUDIT_RETENTION_DAYS (≥ 180) days.

`purge_before` deletes the oldest records, a prefix of the chain, through the one private path
that may delete audit records (`_delete_oldest_through`), and appends a purge record carrying the
id and hash of the last record it deleted: the anchor `touzi audit verify` starts the chain from.
A checkpoint older than the purge vouched for records that are now gone: `verify` accepts that when
a purge record's deletion reached the checkpoint's last record (checkpoints.check).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count, Max, Min
from django.utils import timezone
from django.utils.translation import gettext as _

from touzi.audit.chain import lock_and_last_hash, verify
from touzi.audit.checkpoint_log import after_commit
from touzi.audit.choices import Event
from touzi.audit.forms import day_start
from touzi.audit.models import AuditRecord
from touzi.audit.services import record
from touzi.core.actor import Actor
from touzi.lib.errors import BusinessError


@dataclass(frozen=True)
class Purge:
    before: dt.date
    count: int
    first_id: int | None
    last_id: int | None
    last_hash: str = ""


def earliest_allowed(today: dt.date | None = None) -> dt.date:
    """The latest `--before` date allowed: records younger than the retention period stay."""
    return (today or timezone.localdate()) - dt.timedelta(days=settings.AUDIT_RETENTION_DAYS)


def check_date(before: dt.date, today: dt.date | None = None) -> None:
    limit = earliest_allowed(today)
    if before > limit:
        raise BusinessError(_("审计记录至少保存 %(days)s 天:只能清理 %(limit)s 及以前的日期之前的记录,"
                              "%(before)s 太近,未删除任何记录") % {
            "days": settings.AUDIT_RETENTION_DAYS, "limit": limit.isoformat(), "before": before.isoformat()})


def _old(before: dt.date) -> Any:
    """The prefix of the chain older than `before`: every record below the first one at or after it."""
    first_young = (AuditRecord.objects.filter(at__gte=day_start(before)).order_by("id")
                   .values_list("id", flat=True).first())
    return AuditRecord.objects.all() if first_young is None else AuditRecord.objects.filter(id__lt=first_young)


def plan(before: dt.date, today: dt.date | None = None) -> Purge:
    """What a purge would delete (nothing is changed)."""
    check_date(before, today)
    found = _old(before).aggregate(n=Count("id"), first=Min("id"), last=Max("id"))
    return Purge(before, found["n"], found["first"], found["last"])


def purge_before(before: dt.date, *, actor: Actor, today: dt.date | None = None) -> Purge:
    """Delete the records older than `before` (refused inside the retention period), and audit it."""
    check_date(before, today)
    broken = next(verify(), None)
    if broken is not None:
        raise BusinessError(_("审计记录 #%(id)s 校验失败(%(reason)s):请先调查,未删除任何记录") % {
            "id": broken.record_id, "reason": broken.reason})
    with transaction.atomic():
        lock_and_last_hash()  # no writer chains onto a record while the prefix goes
        old = _old(before)
        found = old.aggregate(n=Count("id"), first=Min("id"), last=Max("id"))
        if not found["n"]:
            return Purge(before, 0, None, None)
        last_hash = AuditRecord.objects.values_list("hash", flat=True).get(id=found["last"])
        _delete_oldest_through(found["last"])
        done = Purge(before, found["n"], found["first"], found["last"], last_hash)
        entry = record(Event.PURGE, actor=actor, object_type="audit.auditrecord",
               object_repr=_("清理 %(before)s 之前的审计记录") % {"before": before.isoformat()},
               after={"before": before.isoformat(), "deleted": done.count, "first_id": done.first_id,
                      "last_id": done.last_id, "last_hash": last_hash,
                      "retention_days": settings.AUDIT_RETENTION_DAYS},
               message=_("已删除 %(n)s 条审计记录(#%(first)s—#%(last)s);哈希链从本条记录所载的哈希继续") % {
                   "n": done.count, "first": done.first_id, "last": done.last_id})
        # A checkpoint right after the purge: the newest one then starts where the trail now starts, so
        # its count is checked exactly again (checkpoints.check) and the purge record itself is vouched for.
        transaction.on_commit(lambda: after_commit(entry.pk, reason="purge", force=True), robust=True)
    return done


def _delete_oldest_through(last_id: int) -> None:
    """The only way audit records leave the database (the model and its queryset refuse deletes).

    Raw SQL on purpose: it bypasses AuditRecord.delete() and AuditRecordQuerySet.delete(), and is
    called by `purge_before` alone, after the retention check, inside its transaction.
    """
    if not connection.in_atomic_block:
        raise RuntimeError("audit records are purged only inside purge_before's transaction")
    table = connection.ops.quote_name(AuditRecord._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table} WHERE id <= %s", [last_id])  # the table name comes from the model
