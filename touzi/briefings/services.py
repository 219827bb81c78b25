"""Briefing acts: generate a month's briefing (a draft, or a corrected version after publication), publish it.

Publishing freezes every figure in the record's content; the documents of a published version are
rendered from that content and so stay the same however the ledger changes afterwards.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from touzi.audit.choices import Event
from touzi.audit.services import record
from touzi.briefings.build import build_content
from touzi.briefings.content import Briefing
from touzi.briefings.freeze import changes, from_json, to_json
from touzi.briefings.models import BriefingRecord, BriefingStatus
from touzi.core.scoping import SYSTEM, scope_of
from touzi.lib.errors import BusinessError, Forbidden
from touzi.monitoring.dashboard import build
from touzi.plans.choices import GroupKind
from touzi.plans.models import Plan


def issuer_of(plan: Plan) -> str:
    office = plan.work_groups.filter(kind=GroupKind.OFFICE).first()
    name = office.name if office else "投资工作领导小组办公室"
    return name if name.startswith(plan.region_name) else plan.region_name + name.removeprefix("市")


def _office(user: Any) -> None:
    if user is not None and not scope_of(user).is_office:
        raise Forbidden(_("只有领导小组办公室可以生成和印发通报"))


def live_content(
    plan: Plan, month: dt.date, user: Any, *, version: int = 1, change_note: str = "", number: str = ""
) -> Briefing:
    """The briefing as the data stand now, from the dashboard's own figures."""
    viewer = user if user is not None else SYSTEM  # a command without --user sees the whole city
    board = build(viewer, plan, month)
    return build_content(
        board, viewer, issuer=issuer_of(plan), number=number, version=version, change_note=change_note
    )


@transaction.atomic
def generate(plan: Plan, month: dt.date, *, acting_user: Any) -> BriefingRecord:
    """A draft from today's data: the first version, the draft again, or a corrected version after publication."""
    _office(acting_user)
    latest = (
        BriefingRecord.objects.select_for_update().filter(plan=plan, month=month).order_by("-version").first()
    )
    if latest is not None and latest.status == BriefingStatus.DRAFT:
        version, note = latest.version, ""
        if latest.version > 1:
            published = BriefingRecord.objects.get(plan=plan, month=month, version=latest.version - 1)
            draft = live_content(plan, month, acting_user, version=version)
            note = "\n".join(changes(from_json(published.content), draft)) or _("数据无变化")
        content = live_content(plan, month, acting_user, version=version, change_note=note)
        latest.content, latest.title, latest.change_note = to_json(content), content.title, note
        latest.save(update_fields=["content", "title", "change_note"])
        record(
            Event.UPDATE, actor=acting_user, obj=latest, after={"version": version}, message=_("重新生成草稿")
        )
        return latest
    version = 1 if latest is None else latest.version + 1
    note = ""
    if latest is not None:
        draft = live_content(plan, month, acting_user, version=version)
        note = "\n".join(changes(from_json(latest.content), draft)) or _("数据无变化")
    content = live_content(plan, month, acting_user, version=version, change_note=note)
    item = BriefingRecord.objects.create(
        plan=plan,
        month=month,
        version=version,
        title=content.title,
        content=to_json(content),
        change_note=note,
        created_by=acting_user if getattr(acting_user, "pk", None) else None,
    )
    record(Event.CREATE, actor=acting_user, obj=item, after={"month": f"{month:%Y-%m}", "version": version})
    return item


@transaction.atomic
def publish(item: BriefingRecord, *, acting_user: Any, number: str = "") -> BriefingRecord:
    """印发: freeze the figures; the record's content is final from now on."""
    _office(acting_user)
    locked = BriefingRecord.objects.select_for_update().get(pk=item.pk)
    if locked.status == BriefingStatus.PUBLISHED:
        raise BusinessError(_("该通报已印发;如需更正请生成新版本"))
    content = from_json(locked.content)
    content.number = (
        number
        or content.number
        or (
            f"{locked.plan.region_name[:2]}{settings.BRIEFING_ISSUER_SHORT}〔{locked.month.year}〕"
            f"{locked.month.month}号" + (f"(第{locked.version}版)" if locked.version > 1 else "")
        )
    )
    content.date = timezone.localdate()
    locked.content, locked.number = to_json(content), content.number
    locked.status, locked.published_at = BriefingStatus.PUBLISHED, timezone.now()
    locked.published_by = acting_user if getattr(acting_user, "pk", None) else None
    locked.save()
    record(
        Event.UPDATE,
        actor=acting_user,
        obj=locked,
        before={"status": BriefingStatus.DRAFT},
        after={"status": BriefingStatus.PUBLISHED, "number": locked.number},
    )
    return locked


def documents(item: BriefingRecord, *, pdf: bool = True) -> dict[str, bytes]:
    """The .docx, the .xlsx annex and the PDF, rendered from the record's frozen content."""
    from touzi.briefings.render import render_annex, render_docx, render_pdf

    content = from_json(item.content)
    docx = render_docx(content)
    files = {"docx": docx, "xlsx": render_annex(content)}
    if pdf:
        files["pdf"] = render_pdf(docx)
    return files
