"""Pages of the consulting register: the year's evaluation list (评价结果) and a firm's engagements and deviations."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from touzi.consulting.choices import Grade, Stage
from touzi.consulting.exports import evaluation_workbook
from touzi.consulting.figures import TOLERANCE, firm_years
from touzi.consulting.forms import EngagementForm, FirmForm, StageForm
from touzi.consulting.models import Engagement, Evaluation, Firm
from touzi.consulting.services import add_engagement, add_firm, publish_evaluation, set_stage_figure
from touzi.core.http import TouziRequest
from touzi.core.roles import Role
from touzi.core.scoping import scope, scope_of
from touzi.lib.errors import BusinessError
from touzi.projects.selectors import visible_projects
from touzi.reports.selectors import year_from


def _business(request: TouziRequest) -> None:
    if not scope_of(request.user).business:
        raise PermissionDenied(_("您没有查看工程咨询单位评价的权限"))


@login_required
def evaluation_list(request: TouziRequest) -> HttpResponse:
    _business(request)
    year = year_from(request)
    projects = visible_projects(request.user)
    firms = firm_years(year, projects=projects, firms=scope(request.user, Firm.objects.all()))
    published = {e.firm_id: e for e in scope(request.user, Evaluation.objects.filter(year=year))}
    return render(request, "consulting/list.html", {
        "year": year, "firms": [(f, published.get(f.firm.pk)) for f in firms], "tolerance": TOLERANCE,
        "grades": Grade, "may_publish": scope_of(request.user).role == Role.PLAN_OFFICE, "firm_form": FirmForm(),
        "years": range(year - 3, year + 2)})


@login_required
def firm_detail(request: TouziRequest, pk: int) -> HttpResponse:
    _business(request)
    firm = get_object_or_404(scope(request.user, Firm.objects.all()), pk=pk)
    year = year_from(request)
    projects = visible_projects(request.user)
    entry = next(iter(firm_years(year, projects=projects, firms=Firm.objects.filter(pk=pk))), None)
    engagements = scope(request.user, Engagement.objects.filter(firm=firm)).select_related("project")
    office = scope_of(request.user).role == Role.PLAN_OFFICE
    return render(request, "consulting/firm.html", {
        "engagement_form": EngagementForm() if office else None, "stage_form": StageForm() if office else None,
        "firm": firm, "year": year, "entry": entry, "engagements": engagements.order_by("-contracted_on")[:300],
        "stages": dict(Stage.choices), "evaluations": firm.evaluations.order_by("-year")})


def _office(request: TouziRequest) -> None:
    if scope_of(request.user).role != Role.PLAN_OFFICE:
        raise PermissionDenied(_("只有行动方案办公室可以维护工程咨询单位评价"))


def _errors(request: TouziRequest, form: forms.Form) -> None:
    messages.error(request, "; ".join(str(e) for errs in form.errors.values() for e in errs))


@login_required
@require_POST
def firm_new(request: TouziRequest) -> HttpResponse:
    _business(request)
    _office(request)
    form = FirmForm(request.POST)
    if not form.is_valid():
        _errors(request, form)
        return redirect("consulting-list")
    try:
        firm = add_firm(actor=request.user, **form.cleaned_data)
    except BusinessError as exc:
        messages.error(request, exc.message)
        return redirect("consulting-list")
    messages.success(request, _("咨询单位已登记"))
    return redirect("consulting-firm", pk=firm.pk)


@login_required
@require_POST
def engagement_new(request: TouziRequest, pk: int) -> HttpResponse:
    _business(request)
    _office(request)
    firm = get_object_or_404(scope(request.user, Firm.objects.all()), pk=pk)
    form = EngagementForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        project = visible_projects(request.user).filter(code=data.pop("project")).first()
        if project is None:
            messages.error(request, _("没有这个项目代码"))
        else:
            try:
                add_engagement(firm, project, data.pop("kind"), actor=request.user, **data)
                messages.success(request, _("咨询委托已登记"))
            except BusinessError as exc:
                messages.error(request, exc.message)
    else:
        _errors(request, form)
    return redirect("consulting-firm", pk=firm.pk)


@login_required
@require_POST
def stage_new(request: TouziRequest, pk: int) -> HttpResponse:
    """A stage figure the firm prepared (估算, 概算 …); a second one of the same project and stage corrects it."""
    _business(request)
    _office(request)
    firm = get_object_or_404(scope(request.user, Firm.objects.all()), pk=pk)
    form = StageForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        project = visible_projects(request.user).filter(code=data.pop("project")).first()
        if project is None:
            messages.error(request, _("没有这个项目代码"))
        else:
            try:
                set_stage_figure(project, data.pop("stage"), data.pop("amount"), firm=firm, actor=request.user,
                                 **data)
                messages.success(request, _("阶段投资额已登记"))
            except BusinessError as exc:
                messages.error(request, exc.message)
    else:
        _errors(request, form)
    return redirect("consulting-firm", pk=firm.pk)


@login_required
@require_POST
def publish(request: TouziRequest) -> HttpResponse:
    _business(request)
    if scope_of(request.user).role != Role.PLAN_OFFICE:
        raise PermissionDenied(_("只有行动方案办公室可以发布评价结果"))
    year = year_from(request)
    found = publish_evaluation(year, actor=request.user)
    messages.success(request, _("已发布 %(n)s 家咨询单位的评价结果") % {"n": len(found)})
    return redirect(f"{reverse('consulting-list')}?year={year}")


@login_required
def export(request: TouziRequest) -> HttpResponse:
    _business(request)
    year = year_from(request)
    firms = firm_years(year, projects=visible_projects(request.user), firms=scope(request.user, Firm.objects.all()))
    response = HttpResponse(evaluation_workbook(year, firms),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''consulting-{year}.xlsx"
    return response
