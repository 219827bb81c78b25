"""Backups started from the web by the system administrator: a background job writing `touzi backup`'s
archive into TOUZI_BACKUP_DIR, audited when started, finished and failed. The archives are listed with
their manifest's summary but never served over the web (they hold password hashes and the whole audit
trail); restoring stays with `touzi restore` on the server."""

from __future__ import annotations

import datetime as dt
import logging
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from touzi.accounts.choices import Role
from touzi.audit.choices import Event, Source
from touzi.audit.context import audit_context, current
from touzi.audit.services import record
from touzi.backup.archive import backup, read_manifest
from touzi.backup.vendors import BackupError
from touzi.core import background, jobs
from touzi.core.actor import Actor, allowed
from touzi.core.models import BackgroundJob, JobKind, JobStatus
from touzi.lib.errors import BusinessError, Forbidden

log = logging.getLogger(__name__)
SUFFIX = ".tar.gz"


@dataclass
class Listed:
    """One archive in the backup directory and what its manifest says."""

    name: str
    size: int
    modified: Any
    created_at: str = ""
    vendor: str = ""
    version: str = ""
    tables: dict[str, int] = field(default_factory=dict)
    media: int = 0
    problem: str = ""

    @property
    def rows(self) -> int:
        return sum(self.tables.values())


def backup_dir() -> Path:
    return Path(settings.BACKUP_DIR)


def list_backups() -> list[Listed]:
    """The archives in TOUZI_BACKUP_DIR, newest first, each with its manifest's summary (or why it has none)."""
    folder = backup_dir()
    if not folder.is_dir():
        return []
    found = []
    for path in folder.iterdir():
        if not path.name.endswith(SUFFIX) or not path.is_file():
            continue
        stat = path.stat()
        item = Listed(path.name, stat.st_size, dt.datetime.fromtimestamp(stat.st_mtime, tz=dt.UTC))
        try:
            manifest = read_manifest(path)
            item.created_at = str(manifest.get("created_at", ""))
            item.vendor, item.version = str(manifest.get("vendor", "")), str(manifest.get("touzi_version", ""))
            item.tables = {name: int(t["rows"]) for name, t in sorted(manifest.get("tables", {}).items())}
            item.media = len(manifest.get("media", {}))
        except (OSError, ValueError, KeyError, TypeError, BackupError, EOFError) as exc:
            item.problem = _("无法读取清单:%(error)s") % {"error": exc}
        found.append(item)
    return sorted(found, key=lambda b: b.modified, reverse=True)


def _sysadmin(actor: Actor) -> None:
    if not allowed(actor, lambda user: user.role == Role.SYSTEM_ADMIN):
        raise Forbidden(_("只有系统管理员可以备份"))


def running_backup() -> BackgroundJob | None:
    return background.active(JobKind.BACKUP).first()


def start_backup(*, actor: Actor) -> BackgroundJob:
    """Queue a backup into TOUZI_BACKUP_DIR (one at a time) and start it as a job; audited as started."""
    _sysadmin(actor)
    if running_backup() is not None:
        raise BusinessError(_("已有备份正在进行,请等它完成后再开始"))
    name = f"touzi-{timezone.localtime():%Y%m%d-%H%M%S}{SUFFIX}"
    if (backup_dir() / name).exists():
        raise BusinessError(_("同名备份文件已存在,请稍后再试"))
    with transaction.atomic():
        job = background.queue(JobKind.BACKUP, actor, {
            "file": name, "language": translation.get_language() or settings.LANGUAGE_CODE})
        record(Event.BACKUP, actor=actor, obj=job, after={"file": name, "status": JobStatus.QUEUED},
               message=_("开始备份"))
    ctx = current()
    jobs.start(_backup_job, job.pk, ctx.ip, ctx.actor_name)
    job.refresh_from_db()
    return job


@jobs.job
def _backup_job(job_id: int, ip: str | None, actor_name: str) -> None:
    """Write the archive (outside any transaction: the database dump refuses to run inside one), then save
    the job as done with its audit record; a failure removes the archive and records why."""
    job = background.claim(job_id)
    if job is None:
        return
    target = backup_dir() / job.params["file"]
    written = False
    with translation.override(job.params.get("language") or settings.LANGUAGE_CODE), \
            audit_context(Source.WEB, ip=ip, actor_name=actor_name):
        user = background.actor_of(job)
        try:
            backup_dir().mkdir(parents=True, exist_ok=True, mode=0o700)
            manifest = backup(target, progress=background.progress(job_id))
            written = True
            rows = sum(t["rows"] for t in manifest["tables"].values())
            message = _("已备份到 %(file)s:%(tables)s 张表 %(rows)s 行,上传文件 %(media)s 个") % {
                "file": target.name, "tables": len(manifest["tables"]), "rows": rows, "media": len(manifest["media"])}
            with transaction.atomic():
                background.done(job, message=message, result_name=target.name)
                record(Event.BACKUP, actor=user, obj=job, message=_("备份完成"),
                       after={"file": target.name, "status": JobStatus.DONE, "size": os.path.getsize(target),
                              "tables": len(manifest["tables"]), "rows": rows, "media": len(manifest["media"])})
        except Exception as exc:
            if written:
                target.unlink(missing_ok=True)
            reason = str(exc) if isinstance(exc, BackupError | OSError) else _(
                "程序错误(%(error)s),请查看服务器日志") % {"error": type(exc).__name__}
            message = _("备份失败,未留下备份文件:%(reason)s") % {"reason": reason}
            background.fail(job_id, message)
            record(Event.BACKUP, actor=user, obj=job, success=False, message=message,
                   after={"file": target.name, "status": JobStatus.FAILED})
            if not isinstance(exc, BackupError | OSError):
                log.exception("backup job %s failed", job_id)
