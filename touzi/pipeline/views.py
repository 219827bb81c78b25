"""Pages of the pipeline: concepts and their screening, readiness of the reserve with each project's
milestones, 前期经费, 统计入库, and the figures."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from touzi.accounts.choices import Role
from touzi.core.http import TouziRequest
from touzi.core.scoping import Action, can, scope, scope_of
from touzi.lib.errors import BusinessError
from touzi.pipeline import figures
from touzi.pipeline.choices import ConceptStatus, Readiness
from touzi.pipeline.exports import concepts_workbook
from touzi.pipeline.forms import STATUS_FILTER, ConceptForm, FundForm, RegistrationForm, ScreenForm
from touzi.pipeline.readiness import status_of
from touzi.pipeline.rules import maturity_score, rules, suggestion
from touzi.pipeline.selectors import (
    filtered_concepts,
    project_milestones,
    reserve_projects,
    started_projects,
    visible_concepts,
    visible_funds,
)
from touzi.pipeline.services import (
    allocate_fund,
    lay_out_milestones,
    propose_concept,
    record_registration,
    screen_concept,
    update_milestone,
)
from touzi.projects.forms import DayField
from touzi.projects.models import Project
from touzi.reports.selectors import year_from
from touzi.units.choices import UnitKind
from touzi.units.models import Unit

PROPOSES = (Role.PLAN_OFFICE, Role.COUNTY, Role.LEAD_UNIT)


def _business(request: TouziRequest) -> None:
    if not scope_of(request.user).business:
        raise PermissionDenied(_("您没有查看项目谋划储备的权限"))


@login_required
def concept_list(request: TouziRequest) -> HttpResponse:
    _business(request)
    concepts = filtered_concepts(visible_concepts(request.user), request.GET)
    page = Paginator(concepts.order_by("-proposed_on", "code"), 50).get_page(request.GET.get("page"))
    return render(request, "pipeline/list.html", {
        "page": page, "params": request.GET, "statuses": STATUS_FILTER,
        "counties": Unit.objects.filter(kind=UnitKind.COUNTY), "may_propose": scope_of(request.user).role in PROPOSES})


@login_required
def concepts_export(request: TouziRequest) -> HttpResponse:
    _business(request)
    content = concepts_workbook(filtered_concepts(visible_concepts(request.user), request.GET))
    response = HttpResponse(content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = 'attachment; filename="touzi-concepts.xlsx"'
    return response


@login_required
def concept_new(request: TouziRequest) -> HttpResponse:
    if scope_of(request.user).role not in PROPOSES:
        raise PermissionDenied(_("您不能提出谋划项目"))
    unit = request.user.unit
    if unit is None:
        raise PermissionDenied(_("您不能提出谋划项目"))
    form = ConceptForm(request.POST or None,
                       initial={"county": unit.pk if unit and unit.kind == UnitKind.COUNTY else None})
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            concept = propose_concept(proposer=unit, actor=request.user, **data)
        except BusinessError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, _("谋划项目已提出:%(code)s") % {"code": concept.code})
            return redirect("pipeline-concept", pk=concept.pk)
    return render(request, "pipeline/new.html", {"form": form})


@login_required
def concept_detail(request: TouziRequest, pk: int) -> HttpResponse:
    concept = get_object_or_404(visible_concepts(request.user), pk=pk)
    may_screen = (scope_of(request.user).is_office and concept.status in (ConceptStatus.PROPOSED, ConceptStatus.WATCH))
    initial: dict[str, Any] = {"version": concept.version, **{f"r_{k}": v for k, v in concept.ratings.items()}}
    form = ScreenForm(initial=initial) if may_screen else None
    criteria = [(c, concept.ratings.get(c.key)) for c in rules().criteria]
    return render(request, "pipeline/detail.html", {
        "c": concept, "form": form, "criteria": criteria,
        "suggested": ConceptStatus(suggestion(concept.maturity)).label if concept.maturity is not None else None})


@login_required
@require_POST
def concept_screen(request: TouziRequest, pk: int) -> HttpResponse:
    concept = get_object_or_404(visible_concepts(request.user), pk=pk)
    if not scope_of(request.user).is_office:
        raise PermissionDenied(_("只有项目办可以筛选谋划项目"))
    form = ScreenForm(request.POST)
    if not form.is_valid():
        messages.error(request, "; ".join(str(e) for errs in form.errors.values() for e in errs))
        return redirect("pipeline-concept", pk=pk)
    try:
        done = screen_concept(concept, form.cleaned_data["outcome"], ratings=form.ratings(),
                              note=form.cleaned_data["note"], actor=request.user,
                              expected_version=form.cleaned_data.get("version"))
    except BusinessError as exc:
        messages.error(request, exc.message)
    else:
        score = maturity_score(done.ratings)
        messages.success(request, _("已筛选为「%(status)s」(成熟度 %(score)s)")
                         % {"status": done.get_status_display(), "score": score})
    return redirect("pipeline-concept", pk=pk)


@login_required
def readiness_page(request: TouziRequest) -> HttpResponse:
    _business(request)
    today = timezone.localdate()
    status = request.GET.get("status", "")
    projects = reserve_projects(request.user, today, status)
    page = Paginator(projects, 50).get_page(request.GET.get("page"))
    rows = [(p, Readiness(status_of(*(getattr(p, f"ms_{n}") for n in ("total", "done", "late", "beyond")))))
            for p in page]
    return render(request, "pipeline/readiness.html", {
        "page": page, "rows": rows, "status": status, "statuses": Readiness.choices, "today": today})


@login_required
def milestones_page(request: TouziRequest, pk: int) -> HttpResponse:
    project = get_object_or_404(scope(request.user, Project.objects.all()).select_related("county", "owner"), pk=pk)
    may_change = can(request.user, project, Action.CHANGE)
    if request.method == "POST":
        if not may_change:
            raise PermissionDenied(_("无权修改该项目的前期工作节点"))
        try:
            if request.POST.get("act") == "lay_out":
                lay_out_milestones(project, actor=request.user)
            else:
                _save_milestones(request, project)
        except BusinessError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("已保存"))
        return redirect("pipeline-milestones", pk=pk)
    today = timezone.localdate()
    milestones = list(project_milestones(request.user, project))
    return render(request, "pipeline/milestones.html", {
        "project": project, "milestones": milestones, "may_change": may_change, "today": today})


def _save_milestones(request: TouziRequest, project: Project) -> None:
    field = DayField(required=False)
    for m in project_milestones(request.user, project):
        changes: dict[str, Any] = {}
        for name in ("planned_on", "actual_on"):
            raw = request.POST.get(f"{name}_{m.pk}")
            if raw is None:
                continue
            try:
                changes[name] = field.clean(raw)
            except Exception as exc:
                raise BusinessError(_("日期格式不正确:%(value)s") % {"value": raw[:20]}) from exc
        if changes:
            update_milestone(m, changes, actor=request.user)


@login_required
def funds_page(request: TouziRequest) -> HttpResponse:
    _business(request)
    year = year_from(request)
    is_office = scope_of(request.user).is_office
    form = FundForm(request.POST or None, initial={"year": year})
    if request.method == "POST":
        if not is_office:
            raise PermissionDenied(_("只有项目办可以登记前期工作经费"))
        if form.is_valid():
            data = form.cleaned_data
            try:
                allocate_fund(year=data["year"], county=data["county"], project=data["project"],
                              allocated=data["allocated"],
                              spent=data["spent"] or 0, document=data["document"], actor=request.user)
            except BusinessError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                messages.success(request, _("已保存"))
                return redirect(f"{request.path}?year={data['year']}")
    rows = figures.funds_by_county(request.user, year, request.plan)
    entries = visible_funds(request.user).filter(year=year).order_by("county__division_code", "id")[:500]
    return render(request, "pipeline/funds.html", {"year": year, "rows": rows, "entries": entries,
                                                   "form": form if is_office else None})


@login_required
def register_page(request: TouziRequest) -> HttpResponse:
    _business(request)
    projects = started_projects(request.user)
    if request.GET.get("missing"):
        projects = projects.exclude(registration__status="registered")
    page = Paginator(projects, 50).get_page(request.GET.get("page"))
    who = scope_of(request.user)
    return render(request, "pipeline/register.html", {
        "page": page, "may_record": who.is_office or who.role == Role.STATISTICS, "missing": request.GET.get("missing"),
        "by_county": figures.registered_by_county(request.user, request.plan)})


@login_required
@require_POST
def register_record(request: TouziRequest, pk: int) -> HttpResponse:
    project = get_object_or_404(scope(request.user, Project.objects.all()), pk=pk)
    who = scope_of(request.user)
    if not (who.is_office or who.role == Role.STATISTICS):
        raise PermissionDenied(_("只有统计局或项目办可以登记统计入库"))
    form = RegistrationForm(request.POST)
    if not form.is_valid():
        messages.error(request, "; ".join(str(e) for errs in form.errors.values() for e in errs))
        return redirect("pipeline-register")
    try:
        record_registration(project, registered_on=form.cleaned_data["registered_on"],
                            register_number=form.cleaned_data["register_number"], actor=request.user)
    except BusinessError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已登记统计入库:%(name)s") % {"name": project.name})
    return redirect("pipeline-register")


@login_required
def figures_page(request: TouziRequest) -> HttpResponse:
    _business(request)
    year = year_from(request)
    return render(request, "pipeline/figures.html", {
        "year": year, "summary": figures.summary(request.user, year, request.plan),
        "by_county": figures.concepts_by(request.user, year, "county"),
        "by_domain": figures.concepts_by(request.user, year, "domain"),
        "depth": figures.reserve_depth(request.user, request.plan, year),
        "to_start": figures.concept_to_start(request.user),
        "registered": figures.registered_by_county(request.user, request.plan)})
