"""Briefing acts: generate a month's briefing (a draft, or a corrected version after publication), publish it.

Publishing freezes every figure in the record's content; the documents of a published version are
rendered from that content and so stay the same however the ledger changes afterwards.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from touzi.audit.choices import Event, Source
from touzi.audit.context import audit_context, current
from touzi.audit.services import record
from touzi.briefings.build import build_content
from touzi.briefings.content import Briefing
from touzi.briefings.freeze import changes, from_json, to_json
from touzi.briefings.issuing import issuing, number_for
from touzi.briefings.models import BriefingRecord, BriefingStatus
from touzi.briefings.render import RenderError
from touzi.core import background, jobs
from touzi.core.actor import Actor, allowed, user_of
from touzi.core.models import BackgroundJob, JobKind
from touzi.core.scoping import scope_of
from touzi.lib.errors import BusinessError, Forbidden
from touzi.monitoring.dashboard import build
from touzi.plans.models import Plan

log = logging.getLogger(__name__)


def _office(actor: Actor) -> None:
    if not allowed(actor, lambda user: scope_of(user).is_office):
        raise Forbidden(_("只有领导小组办公室可以生成和印发通报"))


def live_content(plan: Plan, month: dt.date, user: Actor, *, version: int = 1, change_note: str = "") -> Briefing:
    """The briefing as the data stand now, from the dashboard's own figures.

    The document is Chinese whatever language the user works in: names and labels are taken in Chinese.
    """
    viewer = user  # a command without --user acts as System and sees the whole installation
    with translation.override(settings.LANGUAGE_CODE):
        board = build(viewer, plan, month)
        return build_content(board, viewer, version=version, change_note=change_note)


@dataclass(frozen=True)
class Prepared:
    """A briefing's content computed from today's data, and the latest version it was computed against."""

    basis: tuple[int, str] | None  # (pk, status) of the month's latest version, None for the first
    version: int
    note: str
    content: Briefing


def _basis(latest: BriefingRecord | None) -> tuple[int, str] | None:
    return None if latest is None else (latest.pk, latest.status)


def _latest(plan: Plan, month: dt.date, *, lock: bool = False) -> BriefingRecord | None:
    qs = BriefingRecord.objects.filter(plan=plan, month=month).order_by("-version")
    return (qs.select_for_update() if lock else qs).first()


def _prepare(plan: Plan, month: dt.date, user: Actor, latest: BriefingRecord | None) -> Prepared:
    if latest is not None and latest.status == BriefingStatus.DRAFT:
        version, note = latest.version, ""
        if latest.version > 1:
            published = BriefingRecord.objects.get(plan=plan, month=month, version=latest.version - 1)
            draft = live_content(plan, month, user, version=version)
            note = "\n".join(changes(from_json(published.content), draft)) or _("数据无变化")
    else:
        version = 1 if latest is None else latest.version + 1
        note = ""
        if latest is not None:
            draft = live_content(plan, month, user, version=version)
            note = "\n".join(changes(from_json(latest.content), draft)) or _("数据无变化")
    content = live_content(plan, month, user, version=version, change_note=note)
    return Prepared(_basis(latest), version, note, content)


def prepare(plan: Plan, month: dt.date, *, actor: Actor) -> Prepared:
    """The content `generate` would save, computed without writing (a job renders it before saving)."""
    _office(actor)
    return _prepare(plan, month, actor, _latest(plan, month))


@transaction.atomic
def generate(
    plan: Plan, month: dt.date, *, actor: Actor, prepared: Prepared | None = None
) -> BriefingRecord:
    """A draft from today's data: the first version, the draft again, or a corrected version after publication.

    With `prepared` (computed by `prepare` outside this transaction) it saves that content, provided the
    month's versions are still as they were when it was computed; otherwise nothing is saved.
    """
    _office(actor)
    latest = _latest(plan, month, lock=True)
    if prepared is None:
        prepared = _prepare(plan, month, actor, latest)
    elif prepared.basis != _basis(latest):
        raise BusinessError(_("生成期间该月通报已被他人生成或印发,未保存;请重新生成"))
    version, note, content = prepared.version, prepared.note, prepared.content
    if latest is not None and latest.status == BriefingStatus.DRAFT:
        latest.content, latest.title, latest.change_note = to_json(content), content.title, note
        latest.save(update_fields=["content", "title", "change_note"])
        record(
            Event.UPDATE, actor=actor, obj=latest, after={"version": version}, message=_("重新生成草稿")
        )
        return latest
    item = BriefingRecord.objects.create(
        plan=plan,
        month=month,
        version=version,
        title=content.title,
        content=to_json(content),
        change_note=note,
        created_by=user_of(actor),
    )
    record(Event.CREATE, actor=actor, obj=item, after={"month": f"{month:%Y-%m}", "version": version})
    return item


@transaction.atomic
def publish(item: BriefingRecord, *, actor: Actor, number: str = "") -> BriefingRecord:
    """印发: freeze the figures; the record's content is final from now on."""
    _office(actor)
    locked = BriefingRecord.objects.select_for_update().get(pk=item.pk)
    if locked.status == BriefingStatus.PUBLISHED:
        raise BusinessError(_("该通报已印发;如需更正请生成新版本"))
    content = from_json(locked.content)
    # The draft's 〔草稿〕 gives way to the number the plan's pattern makes (or the one given).
    content.number = number or number_for(issuing(locked.plan).number_pattern, locked.month, locked.version)
    content.date = content.printed_on = timezone.localdate()
    locked.content, locked.number = to_json(content), content.number
    locked.status, locked.published_at = BriefingStatus.PUBLISHED, timezone.now()
    locked.published_by = user_of(actor)
    locked.save()
    record(
        Event.UPDATE,
        actor=actor,
        obj=locked,
        before={"status": BriefingStatus.DRAFT},
        after={"status": BriefingStatus.PUBLISHED, "number": locked.number},
    )
    return locked


def render_all(content: Briefing, *, pdf: bool = True) -> dict[str, bytes]:
    """The .docx, the .xlsx annex and the PDF of a content. LibreOffice converts the .docx while this
    process writes the annex: the conversion is another process, so the two share the cores."""
    from touzi.briefings.render import render_annex, render_docx, render_pdf

    docx = render_docx(content)
    with ThreadPoolExecutor(max_workers=1) as pool:
        converting = pool.submit(render_pdf, docx) if pdf else None
        files = {"docx": docx, "xlsx": render_annex(content)}
        if converting is not None:
            files["pdf"] = converting.result()
    return files


def documents(item: BriefingRecord, *, pdf: bool = True) -> dict[str, bytes]:
    """The .docx, the .xlsx annex and the PDF, rendered from the record's frozen content."""
    return render_all(from_json(item.content), pdf=pdf)


# --- generating from the web: a background job, all or nothing ---------------------------------------------

def _digest(content: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(content, sort_keys=True, ensure_ascii=False).encode()).hexdigest()[:16]


def stored_path(item: BriefingRecord, kind: str) -> Path:
    """Where the documents of this record's current content are kept (a new content has new names)."""
    return Path(settings.MEDIA_ROOT) / "briefings" / str(item.pk) / f"{_digest(item.content)}.{kind}"


def document(item: BriefingRecord, kind: str) -> bytes:
    """One document of the record: the one the generation job rendered if it matches the content, else rendered now."""
    path = stored_path(item, kind)
    if path.is_file():
        return path.read_bytes()
    return documents(item, pdf=kind == "pdf")[kind]


def _store(item: BriefingRecord, files: dict[str, bytes]) -> list[Path]:
    """Write the documents under their final names, each through a temporary name (never half a file)."""
    written: list[Path] = []
    try:
        for kind, data in files.items():
            path = stored_path(item, kind)
            path.parent.mkdir(parents=True, exist_ok=True)
            partial = path.with_name(path.name + ".part")
            partial.write_bytes(data)
            os.replace(partial, path)
            written.append(path)
    except BaseException:
        _discard([*written, *(stored_path(item, k).with_name(stored_path(item, k).name + ".part") for k in files)])
        raise
    return written


def _discard(paths: list[Path]) -> None:
    for path in paths:
        path.unlink(missing_ok=True)


def running_generation(plan: Plan, month: dt.date) -> BackgroundJob | None:
    return background.active(JobKind.BRIEFING).filter(params__plan=plan.pk, params__month=month.isoformat()).first()


def start_generation(plan: Plan, month: dt.date, *, actor: Actor) -> BackgroundJob:
    """Generate the month's briefing (record and documents) as a background job; its row tells how it went.

    A generation of the same month already under way is returned instead of starting a second one.
    """
    _office(actor)
    under_way = running_generation(plan, month)
    if under_way is not None:
        return under_way
    job = background.queue(JobKind.BRIEFING, actor, {
        "plan": plan.pk, "month": month.isoformat(), "language": translation.get_language() or settings.LANGUAGE_CODE,
    })
    ctx = current()
    jobs.start(_generate_job, job.pk, ctx.ip, ctx.actor_name)
    job.refresh_from_db()
    return job


STEPS = 5  # figures, Word, Excel annex, PDF, saving


@jobs.job
def _generate_job(job_id: int, ip: str | None, actor_name: str) -> None:
    """The figures and the three documents are computed first, outside any transaction (the PDF takes long
    and must not hold the database); then one short transaction saves the record, its audit record and the
    job's outcome, and the documents are put in place. Any failure: no record, no file, and the reason."""
    job = background.claim(job_id)
    if job is None:
        return
    progress = background.progress(job_id)
    written: list[Path] = []
    with translation.override(job.params.get("language") or settings.LANGUAGE_CODE), \
            audit_context(Source.WEB, ip=ip, actor_name=actor_name):
        try:
            from touzi.briefings.render import render_annex, render_docx, render_pdf

            user = background.actor_of(job)
            plan = Plan.objects.get(pk=job.params["plan"])
            month = dt.date.fromisoformat(job.params["month"])
            progress(0, STEPS)
            prepared = prepare(plan, month, actor=user)
            progress(1, STEPS)
            content = from_json(to_json(prepared.content))  # exactly what the record will hold
            docx = render_docx(content)
            progress(2, STEPS)
            files = {"docx": docx, "xlsx": render_annex(content)}
            progress(3, STEPS)
            files["pdf"] = render_pdf(docx)
            progress(4, STEPS)
            with transaction.atomic():
                item = generate(plan, month, actor=user, prepared=prepared)
                written = _store(item, files)
                background.done(job, result_id=item.pk,
                                message=_("已生成《%(title)s》第%(version)s版草稿")
                                % {"title": item.title, "version": item.version})
            progress(STEPS, STEPS)
        except Exception as exc:
            _discard(written)
            background.fail(job_id, _failure(exc))
            if not isinstance(exc, BusinessError | RenderError):  # a bug: its trace goes to the log
                log.exception("briefing generation job %s failed", job_id)


def _failure(exc: Exception) -> str:
    if isinstance(exc, BusinessError):
        reason = exc.message
    elif isinstance(exc, RenderError):
        reason = str(exc)
    else:
        reason = _("程序错误(%(error)s),请联系系统管理员") % {"error": type(exc).__name__}
    return _("通报生成失败,未保存任何内容:%(reason)s") % {"reason": reason}
