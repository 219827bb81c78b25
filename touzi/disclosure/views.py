"""Pages inside the platform: the disclosure register (prepare, approve, consult, moderate) and the limits page
(楼堂馆所 check and exemptions, 停缓建 and 压缩规模 decisions) that the auditor reads."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from touzi.core.http import TouziRequest
from touzi.core.scoping import Action, can, scope, scope_of
from touzi.disclosure.choices import ItemKind
from touzi.disclosure.forms import (
    ConsultationForm,
    DecisionForm,
    ExemptionForm,
    ItemForm,
    ModerateForm,
    RefuseForm,
)
from touzi.disclosure.limits import office_projects, office_reason, record_exemption
from touzi.disclosure.models import Consultation, ItemVersion, Opinion
from touzi.disclosure.selectors import (
    exemptions,
    my_projects,
    pending_opinions,
    project_consultations,
    project_items,
    queue,
    stage_decisions,
)
from touzi.disclosure.services import (
    approve_version,
    disclosable,
    may_approve,
    moderate_opinion,
    open_consultation,
    prepare_item,
    publish_decision,
    refuse_version,
    threshold_wan,
)
from touzi.lib.errors import BusinessError
from touzi.projects.models import Project


def _business(request: TouziRequest) -> None:
    if not scope_of(request.user).business:
        raise PermissionDenied(_("您没有查看信息公开的权限"))


@login_required
def register(request: TouziRequest) -> HttpResponse:
    _business(request)
    return render(request, "disclosure/list.html", {
        "projects": my_projects(request.user)[:500], "queue": queue(request.user),
        "opinions": pending_opinions(request.user)[:200], "threshold": threshold_wan(),
    })


def _project(request: TouziRequest, pk: int, action: Action = Action.VIEW) -> Project:
    """A disclosable project the user may see (404 otherwise); for a change, one they may change (403)."""
    _business(request)
    project = get_object_or_404(disclosable(scope(request.user, Project.objects.select_related(
        "county", "owner", "lead_unit"))), pk=pk)
    if action == Action.CHANGE and not can(request.user, project, Action.CHANGE):
        raise PermissionDenied(_("无权修改该项目的公开信息"))
    return project


@login_required
def project_page(request: TouziRequest, pk: int) -> HttpResponse:
    project = _project(request, pk)
    items = {item.kind: item for item in project_items(request.user, project)}
    rows = [(kind, items.get(kind.value)) for kind in ItemKind]
    may_change = can(request.user, project, Action.CHANGE)
    return render(request, "disclosure/project.html", {
        "project": project, "rows": rows, "may_change": may_change,
        "approver_of": {k for k, item in items.items() if may_approve(request.user, item)},
        "form": ItemForm(), "refuse_form": RefuseForm(), "consult_form": ConsultationForm(),
        "moderate_form": ModerateForm(), "decision_form": DecisionForm(),
        "consultations": project_consultations(request.user, project),
    })


@login_required
@require_POST
def prepare(request: TouziRequest, pk: int) -> HttpResponse:
    project = _project(request, pk, Action.CHANGE)
    form = ItemForm(request.POST)
    if form.is_valid():
        kind = form.cleaned_data["kind"]
        try:
            prepare_item(project, kind, form.cleaned_data["text"], data=form.data_for(kind),
                         note=form.cleaned_data["note"], actor=request.user)
            messages.success(request, _("公示内容已提交,待责任单位批准后公开"))
        except BusinessError as exc:
            messages.error(request, exc.message)
    else:
        messages.error(request, "; ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect("disclosure-project", pk=project.pk)


def _version(request: TouziRequest, pk: int) -> ItemVersion:
    """A version the user may see and decide on (the item's responsible unit, or the office)."""
    _business(request)
    version = get_object_or_404(scope(request.user, ItemVersion.objects.select_related("item__project")), pk=pk)
    if not may_approve(request.user, version.item):
        raise PermissionDenied(_("只有该事项的责任单位或领导小组办公室可以审核"))
    return version


@login_required
@require_POST
def approve(request: TouziRequest, pk: int) -> HttpResponse:
    version = _version(request, pk)
    try:
        approve_version(version, actor=request.user)
        messages.success(request, _("已批准公开"))
    except BusinessError as exc:
        messages.error(request, exc.message)
    return redirect("disclosure-project", pk=version.item.project_id)


@login_required
@require_POST
def refuse(request: TouziRequest, pk: int) -> HttpResponse:
    version = _version(request, pk)
    form = RefuseForm(request.POST)
    try:
        if not form.is_valid():
            raise BusinessError(_("请填写退回理由"))
        refuse_version(version, form.cleaned_data["reason"], actor=request.user)
        messages.success(request, _("已退回"))
    except BusinessError as exc:
        messages.error(request, exc.message)
    return redirect("disclosure-project", pk=version.item.project_id)


@login_required
@require_POST
def consult(request: TouziRequest, pk: int) -> HttpResponse:
    project = _project(request, pk, Action.CHANGE)
    form = ConsultationForm(request.POST)
    try:
        if not form.is_valid():
            raise BusinessError("; ".join(str(e) for errors in form.errors.values() for e in errors))
        open_consultation(project, title=form.cleaned_data["title"], question=form.cleaned_data["question"],
                          deadline=form.cleaned_data["deadline"], actor=request.user)
        messages.success(request, _("已发布征求意见"))
    except BusinessError as exc:
        messages.error(request, exc.message)
    return redirect("disclosure-project", pk=project.pk)


@login_required
@require_POST
def moderate(request: TouziRequest, pk: int) -> HttpResponse:
    _business(request)
    opinion = get_object_or_404(scope(request.user, Opinion.objects.select_related("consultation")), pk=pk)
    if not can(request.user, opinion, Action.CHANGE):
        raise PermissionDenied(_("无权审核该项目的公众意见"))
    form = ModerateForm(request.POST)
    try:
        if not form.is_valid():
            raise BusinessError(_("请选择审核结果"))
        moderate_opinion(opinion, form.cleaned_data["approve"], answer=form.cleaned_data["answer"],
                         actor=request.user)
        messages.success(request, _("已审核"))
    except BusinessError as exc:
        messages.error(request, exc.message)
    return redirect("disclosure-project", pk=opinion.consultation.project_id)


@login_required
@require_POST
def decide(request: TouziRequest, pk: int) -> HttpResponse:
    _business(request)
    consultation = get_object_or_404(scope(request.user, Consultation.objects.all()), pk=pk)
    if not can(request.user, consultation, Action.CHANGE):
        raise PermissionDenied(_("无权公布该项目的决定"))
    form = DecisionForm(request.POST)
    try:
        if not form.is_valid():
            raise BusinessError(_("请填写意见采纳情况和决定"))
        publish_decision(consultation, summary=form.cleaned_data["summary"], decision=form.cleaned_data["decision"],
                         actor=request.user)
        messages.success(request, _("已公布意见采纳情况和决定"))
    except BusinessError as exc:
        messages.error(request, exc.message)
    return redirect("disclosure-project", pk=consultation.project_id)


@login_required
def limits(request: TouziRequest) -> HttpResponse:
    """The seed's limits: the 楼堂馆所 check of every government-invested project, the exemptions, and the
    停缓建 / 压缩规模 decisions. Read by the auditor and the roles that read everything; the office records."""
    who = scope_of(request.user)
    if not who.business:
        raise PermissionDenied(_("您没有查看的权限"))
    form = ExemptionForm(request.POST or None)
    if request.method == "POST":
        if not who.is_office:
            raise PermissionDenied(_("只有领导小组办公室可以登记楼堂馆所豁免"))
        if form.is_valid():
            try:
                record_exemption(actor=request.user, **form.cleaned_data)
                messages.success(request, _("已登记楼堂馆所豁免"))
                return redirect("disclosure-limits")
            except BusinessError as exc:
                messages.error(request, exc.message)
    checked = [(p, office_reason(p.name, p.industry, p.is_government), list(p.office_exemptions.all()))
               for p in office_projects(request.user)[:500]]
    return render(request, "disclosure/limits.html", {
        "checked": checked, "exemptions": exemptions(request.user)[:500],
        "decisions": stage_decisions(request.user)[:500], "form": form if who.is_office else None,
    })
