from __future__ import annotations

from collections.abc import Iterator

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from touzi.briefings.content import Section
from touzi.briefings.freeze import from_json
from touzi.briefings.models import BriefingRecord
from touzi.briefings.render import RenderError, heading_number
from touzi.briefings.services import document, publish, start_generation
from touzi.core.http import TouziRequest
from touzi.core.models import BackgroundJob, JobKind, JobStatus
from touzi.core.scoping import scope, scope_of
from touzi.lib.errors import BusinessError, Forbidden
from touzi.lib.periods import month_of
from touzi.reports.selectors import default_month

TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}


def _visible(request: TouziRequest):
    return scope(request.user, BriefingRecord.objects.all()).select_related("plan")


@login_required
def briefing_list(request: TouziRequest) -> HttpResponse:
    if not scope_of(request.user).business:
        raise PermissionDenied
    items = _visible(request).filter(plan=request.plan) if request.plan else _visible(request).none()
    generations = (
        scope(request.user, BackgroundJob.objects.filter(kind=JobKind.BRIEFING, params__plan=request.plan.pk))[:5]
        if request.plan else []
    )
    return render(
        request,
        "briefings/list.html",
        {"items": items, "is_office": scope_of(request.user).is_office, "month": default_month(),
         "generations": generations},
    )


@login_required
@require_POST
def briefing_generate(request: TouziRequest) -> HttpResponse:
    if request.plan is None:
        raise Http404
    try:
        job = start_generation(request.plan, month_of(request.POST.get("month", "")), actor=request.user)
    except ValueError as exc:
        messages.error(request, str(exc))
        return redirect("briefing-list")
    except Forbidden as exc:
        raise PermissionDenied(exc.message) from exc
    except BusinessError as exc:
        messages.error(request, exc.message)
        return redirect("briefing-list")
    if job.status == JobStatus.DONE:
        messages.success(request, _("通报已生成(草稿)"))
        return redirect("briefing-detail", pk=job.result_id)
    if job.status == JobStatus.FAILED:
        messages.error(request, job.message)
    else:
        messages.info(request, _("通报正在后台生成,进度见下方“生成任务”;完成后可在此打开"))
    return redirect("briefing-list")


def _outline(sections: list[Section], level: int = 1) -> Iterator[tuple[int, str, Section]]:
    """Every section with its depth and its number as the document prints it (一、 （一） 1.)."""
    for index, section in enumerate(sections, start=1):
        yield level, heading_number(level, index), section
        yield from _outline(section.children, level + 1)


@login_required
def briefing_detail(request: TouziRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(_visible(request), pk=pk)
    content = from_json(item.content)
    return render(
        request,
        "briefings/detail.html",
        {"item": item, "content": content, "outline": list(_outline(content.sections)),
         "is_office": scope_of(request.user).is_office},
    )


@login_required
@require_POST
def briefing_publish(request: TouziRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(_visible(request), pk=pk)
    try:
        publish(item, actor=request.user, number=request.POST.get("number", "").strip())
        messages.success(request, _("通报已印发,数据已冻结"))
    except Forbidden as exc:
        raise PermissionDenied(exc.message) from exc
    except BusinessError as exc:
        messages.error(request, exc.message)
    return redirect("briefing-detail", pk=pk)


@login_required
def briefing_file(request: TouziRequest, pk: int, kind: str) -> HttpResponse:
    if kind not in TYPES:
        raise Http404
    item = get_object_or_404(_visible(request), pk=pk)
    try:
        content = document(item, kind)
    except RenderError as exc:
        messages.error(request, str(exc))
        return redirect("briefing-detail", pk=pk)
    response = HttpResponse(content, content_type=TYPES[kind])
    response["Content-Disposition"] = (
        f"attachment; filename*=UTF-8''briefing-{item.month:%Y-%m}-v{item.version}.{kind}"
    )
    return response
