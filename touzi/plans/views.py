from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import Resolver404, resolve, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from touzi.core.http import TouziRequest
from touzi.core.scoping import scope_of
from touzi.plans.forms import PlanUploadForm
from touzi.plans.loader import PlanFileInvalid, check_plan_file
from touzi.plans.models import Plan
from touzi.plans.selectors import (
    SESSION_KEY,
    grouped_targets,
    targets_for,
    tasks_for,
    visible_plans,
    work_groups_for,
)
from touzi.plans.services import known_unit_keys, load_plan


def _plan_or_404(request: TouziRequest) -> Plan:
    if not scope_of(request.user).business:
        raise PermissionDenied(_("系统管理员、安全管理员和审计管理员不查看业务数据"))
    if request.plan is None:
        raise Http404(_("没有可查看的行动方案"))
    return request.plan


@login_required
def targets(request: TouziRequest) -> HttpResponse:
    plan = _plan_or_404(request)
    items = list(targets_for(request.user, plan))
    return render(request, "plans/targets.html", {"plan": plan, "sections": grouped_targets(items),
                                                  "count": len(items)})


@login_required
def tasks(request: TouziRequest) -> HttpResponse:
    plan = _plan_or_404(request)
    return render(request, "plans/tasks.html", {"plan": plan, "tasks": tasks_for(request.user, plan)})


@login_required
def groups(request: TouziRequest) -> HttpResponse:
    plan = _plan_or_404(request)
    return render(request, "plans/groups.html", {"plan": plan, "groups": work_groups_for(request.user, plan)})


@login_required
def plans(request: TouziRequest) -> HttpResponse:
    can_load = request.user.has_perm("plans.load_plan")
    return render(request, "plans/plans.html", {
        "plans": visible_plans(request.user).select_related("office_unit"),
        "form": PlanUploadForm() if can_load else None,
    })


@login_required
@require_POST
def switch(request: TouziRequest) -> HttpResponse:
    plan = visible_plans(request.user).filter(key=request.POST.get("plan", "")).first()
    if plan is None:
        raise Http404(_("没有这个行动方案,或无权查看"))
    request.session[SESSION_KEY] = plan.key
    messages.success(request, _("已切换到:%(name)s") % {"name": plan.label})
    return redirect(_same_page(request) or "plan-targets")


def _same_page(request: TouziRequest) -> str | None:
    """The page the switch was made from, with its month and filters: the same view of the other plan. A
    target's own page has no twin in another plan, so it goes to the dashboard of the same month."""
    target = request.POST.get("next", "")
    if not target or not url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return None
    try:
        match = resolve(target.split("?", 1)[0])
    except Resolver404:
        return None
    if match.url_name == "monitoring-target":
        query = target.split("?", 1)[1] if "?" in target else ""
        return reverse("home") + (f"?{query}" if query else "")
    return target


@login_required
@permission_required("plans.load_plan", raise_exception=True)
def load(request: TouziRequest) -> HttpResponse:
    """Upload a plan file: checked whole first; a file with any problem writes nothing."""
    form = PlanUploadForm(request.POST or None, request.FILES or None)
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            checked = check_plan_file(upload.read(), upload.name, known_unit_keys())
        except PlanFileInvalid as exc:
            problems = exc.lines()
        else:
            summary = load_plan(checked, actor=request.user)
            request.session[SESSION_KEY] = summary.plan_key
            if summary.changed:
                messages.success(request, _("已载入 %(key)s:新增 %(c)s 项,修改 %(u)s 项,删除 %(d)s 项") % {
                    "key": summary.plan_key, "c": summary.created, "u": summary.updated, "d": summary.deleted})
            else:
                messages.info(request, _("方案 %(key)s 与已载入的内容相同,未作改动") % {"key": summary.plan_key})
            return redirect("plan-targets")
    status = 400 if request.method == "POST" else 200
    return render(request, "plans/load.html", {"form": form, "problems": problems}, status=status)
