from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from touzi.core.http import TouziRequest
from touzi.core.scoping import scope_of
from touzi.lib.errors import BusinessError
from touzi.lib.evidence import evidence_response
from touzi.monitoring.alerts import Alert, alerts
from touzi.monitoring.extensions import find_other
from touzi.projects.selectors import visible_projects
from touzi.supervision.choices import OPEN, TaskStatus
from touzi.supervision.forms import AnswerForm, TaskForm
from touzi.supervision.selectors import overdue_by_unit, to_do, unread, visible_tasks
from touzi.supervision.services import answer, close, raise_task, send_back, start, units_for_warning


@login_required
def task_list(request: TouziRequest) -> HttpResponse:
    tasks = visible_tasks(request.user)
    status = request.GET.get("status", "")
    if status == "open":
        tasks = tasks.filter(status__in=OPEN)
    elif status == "overdue":
        tasks = tasks.filter(status__in=OPEN, deadline__lt=timezone.localdate())
    elif status:
        tasks = tasks.filter(status=status)
    page = Paginator(tasks.order_by("status", "deadline"), 50).get_page(request.GET.get("page"))
    return render(request, "supervision/list.html", {
        "page": page, "status": status, "statuses": TaskStatus.choices, "by_unit": overdue_by_unit(
            visible_tasks(request.user)), "is_office": scope_of(request.user).is_office,
        "today": timezone.localdate()})


@login_required
def todo(request: TouziRequest) -> HttpResponse:
    notes = list(unread(request.user)[:50])
    response = render(request, "supervision/todo.html", {"tasks": to_do(request.user), "notes": notes,
                                                         "today": timezone.localdate()})
    unread(request.user).filter(pk__in=[n.pk for n in notes]).update(read_at=timezone.now())
    return response


@login_required
def task_new(request: TouziRequest) -> HttpResponse:
    """By hand, or one click from a warning (?warning=KEY prefills problem, unit and project)."""
    if not scope_of(request.user).is_office:
        raise PermissionDenied(_("只有领导小组办公室可以下发督办任务"))
    initial: dict[str, Any] = {"deadline": timezone.localdate() + dt.timedelta(days=15)}
    key = request.GET.get("warning", "")
    if key and request.plan is not None:
        found = _warning(request, key)
        if found is not None:
            unit, co_unit = units_for_warning(found)
            initial.update(problem=f"{found.project_name}:{found.reason}", project=found.project_id or None,
                           responsible_unit=unit.pk, co_responsible_unit=co_unit.pk if co_unit else None,
                           warning_key=key,
                           required_action=_("请于时限内整改到位并报送整改情况和佐证材料"))
    form = TaskForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        if request.plan is None:
            raise Http404(_("没有可查看的行动方案"))
        data = form.cleaned_data
        project = visible_projects(request.user).filter(pk=data["project"]).first() if data["project"] else None
        try:
            task = raise_task(request.plan, problem=data["problem"], required_action=data["required_action"],
                              responsible_unit=data["responsible_unit"], deadline=data["deadline"], project=project,
                              co_responsible_unit=data["co_responsible_unit"], warning_key=data["warning_key"] or "",
                              actor=request.user)
        except BusinessError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, _("督办任务已下发"))
            return redirect("supervision-detail", pk=task.pk)
    return render(request, "supervision/new.html", {"form": form})


@login_required
@require_POST
def task_from_warning(request: TouziRequest) -> HttpResponse:
    """One click on a warning: a task to the project's lead unit (or owner), due in 15 days."""
    if not scope_of(request.user).is_office:
        raise PermissionDenied(_("只有领导小组办公室可以下发督办任务"))
    key = request.POST.get("warning", "")
    found = _warning(request, key)
    if found is None or request.plan is None:
        messages.error(request, _("该预警已不存在(数据可能已更新)"))
        return redirect("monitoring-warnings")
    project = visible_projects(request.user).filter(pk=found.project_id).first() if found.project_id else None
    unit, co_unit = units_for_warning(found)
    try:
        task = raise_task(request.plan, problem=f"{found.project_name}:{found.reason}",
                          required_action=_("请于时限内整改到位并报送整改情况和佐证材料"),
                          responsible_unit=unit, co_responsible_unit=co_unit,
                          deadline=timezone.localdate() + dt.timedelta(days=15), project=project, warning_key=key,
                          actor=request.user)
    except BusinessError as exc:
        messages.error(request, exc.message)
        return redirect("monitoring-warnings")
    messages.success(request, _("督办任务已下发"))
    return redirect("supervision-detail", pk=task.pk)


def _warning(request: TouziRequest, key: str) -> Alert | None:
    parts = key.split(":")
    if request.plan is None:
        return None
    owned, found = find_other(request.user, key, request.plan)  # a warning another app registers (agreements)
    if owned:
        return found
    if len(parts) != 3:
        return None
    try:
        month = dt.date(int(parts[2][:4]), int(parts[2][5:7]), 1)
    except ValueError:
        return None
    return next((a for a in alerts(request.user, request.plan, month) if f"{a.key}:{parts[2]}" == key), None)


@login_required
def task_detail(request: TouziRequest, pk: int) -> HttpResponse:
    task = get_object_or_404(visible_tasks(request.user), pk=pk)
    who = scope_of(request.user)
    form = AnswerForm(request.POST or None, request.FILES or None, initial={"version": task.version})
    if request.method == "POST" and form.is_valid():
        try:
            answer(task, form.cleaned_data["rectification"], evidence=form.cleaned_data["evidence"],
                   actor=request.user, expected_version=form.cleaned_data["version"])
        except BusinessError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("整改情况已报送"))
            return redirect("supervision-detail", pk=task.pk)
    return render(request, "supervision/detail.html", {
        "task": task, "form": form, "is_unit": task.responsible_unit_id in who.unit_ids,
        "is_office": who.is_office})


@login_required
@require_POST
def task_act(request: TouziRequest, pk: int) -> HttpResponse:
    task = get_object_or_404(visible_tasks(request.user), pk=pk)
    act = request.POST.get("act")
    version = int(request.POST["version"]) if request.POST.get("version", "").isdigit() else None
    try:
        if act == "start":
            start(task, actor=request.user, expected_version=version)
        elif act == "close":
            close(task, actor=request.user, expected_version=version)
        elif act == "return":
            send_back(task, request.POST.get("reason", ""), actor=request.user, expected_version=version)
        else:
            raise BusinessError(_("未知操作"))
        messages.success(request, _("已办理"))
    except BusinessError as exc:
        messages.error(request, exc.message)
    return redirect("supervision-detail", pk=task.pk)


@login_required
def task_evidence(request: TouziRequest, pk: int) -> FileResponse:
    task = get_object_or_404(visible_tasks(request.user).exclude(evidence=""), pk=pk)
    return evidence_response(task.evidence, content_type=task.evidence_type, name=task.evidence_name)

