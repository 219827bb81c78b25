"""Import acts: upload (check and preview), confirm (write, in the background when large). Audited as imports."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from touzi.audit.choices import Event, Source
from touzi.audit.context import audit_context, current
from touzi.audit.services import record
from touzi.core import jobs
from touzi.core.actor import Actor, allowed, from_ref, to_ref, user_of
from touzi.imports.choices import ImportKind, ImportStatus
from touzi.imports.common import Checked, Progress, cache_progress, stored
from touzi.imports.kinds import hooks_for
from touzi.imports.messages import MSG_CHANGED, MSG_SKIPPED_ROW, MSG_WRITE_FAILED
from touzi.imports.models import ImportBatch
from touzi.imports.project_import import check_projects, write_projects
from touzi.imports.report_import import check_reports, write_reports
from touzi.lib.errors import BusinessError, Forbidden
from touzi.lib.xlsx import SheetError

MAX_STORED_ERRORS = 5000


def check(kind: str, content: bytes, user: Actor, progress: Progress | None = None) -> Checked:
    """Check a file of either kind without writing anything. Raises SheetError for file-level problems."""
    if kind == ImportKind.PROJECTS:
        return check_projects(content, user, progress=progress)
    hooks = hooks_for(kind)
    if hooks is not None:
        return hooks.check(content, user, progress=progress)
    return check_reports(content, user, progress=progress)


def write(kind: str, content: bytes, user: Actor, *, file_name: str, progress: Progress | None = None) -> Checked:
    """Write a file all-or-nothing; the result says what was written, or lists every error (and nothing is)."""
    if kind == ImportKind.PROJECTS:
        return write_projects(content, user, file_name=file_name, progress=progress)
    hooks = hooks_for(kind)
    if hooks is not None:
        return hooks.write(content, user, file_name=file_name, progress=progress)
    checked = check_reports(content, user, progress=progress)
    if checked.ok:
        write_reports(checked, user, file_name=file_name, progress=progress)
    return checked


def _fill(batch: ImportBatch, checked: Checked) -> None:
    batch.summary = checked.summary()
    batch.errors = [e.as_dict() for e in checked.errors[:MAX_STORED_ERRORS]]
    batch.notes = [stored(note) for note in checked.notes] + [
        MSG_SKIPPED_ROW(row=n, reason=stored(reason)).as_json() for n, reason in checked.skipped[:200]]
    batch.total_rows = len(checked.rows) + len({e.row for e in checked.errors})


def stage_import(kind: str, name: str, content: bytes, *, actor: Actor) -> ImportBatch:
    """Keep the upload, check it whole and store the preview; nothing of the data is written yet."""
    if not allowed(actor, lambda user: user.has_perm("imports.add_importbatch")):
        raise Forbidden(_("无权导入"))
    if len(content) > settings.IMPORT_MAX_BYTES:
        raise BusinessError(_("文件超过 %(mb)s MB 上限") % {"mb": settings.IMPORT_MAX_BYTES // (1024 * 1024)})
    digest = hashlib.sha256(content).hexdigest()
    batch = ImportBatch(kind=ImportKind(kind), original_name=name[:255], sha256=digest, status=ImportStatus.PREVIEWED,
                        uploaded_by=user_of(actor))
    with audit_context(Source.IMPORT, ip=current().ip, actor_name=current().actor_name):
        try:
            checked = check(kind, content, actor)
        except SheetError as exc:
            batch.status = ImportStatus.REFUSED
            batch.set_message(exc.msg)
        else:
            _fill(batch, checked)
            batch.status = ImportStatus.PREVIEWED if checked.ok else ImportStatus.REFUSED
        with transaction.atomic():
            batch.file.save(f"{digest[:32]}.xlsx", ContentFile(content), save=False)
            batch.save()
            record(Event.CREATE, actor=actor, obj=batch,
                   after={"file": batch.original_name, "sha256": digest, "status": batch.status,
                          "summary": batch.summary, "errors": len(batch.errors)})
    return batch


def confirm_import(batch: ImportBatch, *, actor: Actor) -> ImportBatch:
    """Write a previewed batch: in the request when small, as a background job with progress when large."""
    if not allowed(actor, lambda user: batch.uploaded_by_id == user.pk):
        raise Forbidden(_("只能确认本人上传的导入"))
    updated = ImportBatch.objects.filter(pk=batch.pk, status=ImportStatus.PREVIEWED).update(
        status=ImportStatus.RUNNING, processed_rows=0)
    if not updated:
        raise BusinessError(_("该导入已确认过或有错误,不能再次导入"))
    batch.refresh_from_db()
    ip, actor_name = current().ip, current().actor_name
    if batch.total_rows <= settings.IMPORT_BACKGROUND_ROWS:
        _commit(batch.pk, to_ref(actor), ip, actor_name)
    else:
        jobs.start(_commit, batch.pk, to_ref(actor), ip, actor_name)
    batch.refresh_from_db()
    return batch


@jobs.job
def _commit(batch_id: int, actor_ref: int | str, ip: str | None, actor_name: str) -> None:
    """Write a confirmed batch; a job, so it takes ids (a worker elsewhere loads the user itself).

    The rows and the batch's new status commit in one transaction, so a job delivered twice (a worker
    that died after committing, before acknowledging) finds the batch no longer running and does nothing.
    """
    batch = ImportBatch.objects.get(pk=batch_id)
    if batch.status != ImportStatus.RUNNING:
        return
    user = from_ref(actor_ref)
    progress = cache_progress(batch_id)
    with audit_context(Source.IMPORT, ip=ip, actor_name=actor_name):
        try:
            with transaction.atomic():
                with batch.file.open("rb") as handle:
                    content = handle.read()
                checked = write(batch.kind, content, user, file_name=batch.original_name, progress=progress)
                _finish(batch, checked)
        except SheetError as exc:
            ImportBatch.objects.filter(pk=batch_id).update(status=ImportStatus.FAILED,
                                                           **ImportBatch.message_fields(exc.msg))
        except Exception as exc:
            ImportBatch.objects.filter(pk=batch_id).update(
                status=ImportStatus.FAILED, **ImportBatch.message_fields(MSG_WRITE_FAILED(error=type(exc).__name__)))
            raise


def _finish(batch: ImportBatch, checked: Checked) -> None:
    _fill(batch, checked)
    # Data may have changed since the preview (another user's report): then nothing was written.
    batch.status = ImportStatus.COMMITTED if checked.ok else ImportStatus.FAILED
    if not checked.ok:
        batch.set_message(MSG_CHANGED())
    batch.processed_rows = batch.total_rows
    batch.committed_at = timezone.now() if checked.ok else None
    batch.save()
