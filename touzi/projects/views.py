from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from touzi.audit.models import AuditRecord
from touzi.audit.services import BATCH_SUBJECT, batch_with_key
from touzi.audit.version import data_version
from touzi.core.http import TouziRequest
from touzi.core.scoped_cache import scoped_html
from touzi.core.scoping import Action, can, scope, scope_of
from touzi.lib.errors import BusinessError, Conflict
from touzi.lib.regions import prefix
from touzi.plans.models import Domain
from touzi.projects.choices import STAGE_MOVES, Stage
from touzi.projects.forms import AnnualPlanForm, FactorIssueForm, ProjectForm, StageForm, initial_for
from touzi.projects.ledger import ledger
from touzi.projects.models import FactorIssue, Project
from touzi.projects.selectors import (
    ProjectFilters,
    clarity_list,
    project_page,
    visible_projects,
    with_clarities,
)
from touzi.projects.services import (
    create_project,
    move_stage,
    raise_factor_issue,
    resolve_factor_issue,
    set_annual_plan,
    update_project,
)
from touzi.units.choices import UnitKind
from touzi.units.models import Unit


def _project(request: TouziRequest, pk: int, action: Action = Action.VIEW) -> Project:
    return get_object_or_404(visible_projects(request.user, action), pk=pk)


def _form_error(form: ProjectForm, exc: BusinessError) -> None:
    if exc.field and exc.field in form.fields:
        form.add_error(exc.field, exc.message)
    else:
        form.add_error(None, exc.message)


def _plan_domains(plan: Any) -> Any:
    """The plan's own top-level domains (every domain when no plan is chosen)."""
    domains = plan.domains.all() if plan is not None else Domain.objects.all()
    return domains.filter(parent__isnull=True).order_by("order")


def _plan_areas(plan: Any) -> Any:
    """The counties and parks of the plan's region, for the list's filter."""
    areas = Unit.objects.filter(kind__in=[UnitKind.COUNTY, UnitKind.PARK])
    if plan is not None:
        areas = areas.filter(Q(division_code__startswith=prefix(plan.region_code))
                             | Q(parent__division_code__startswith=prefix(plan.region_code)))
    return areas.order_by("kind", "division_code")


@login_required
def project_list_view(request: TouziRequest) -> HttpResponse:
    filters = ProjectFilters.from_query(request.GET, plan=request.plan)
    month = ledger().month_from(request)
    query = request.GET.copy()
    query.pop("page", None)
    can_add = request.user.has_perm("projects.add_project")

    def content() -> str:
        page = project_page(request.user, filters, month, request.GET.get("page"))
        return render_to_string("projects/_list.html", {
            "page": page, "filters": filters, "month": month, "query": query.urlencode(),
            "domains": _plan_domains(request.plan),
            "counties": _plan_areas(request.plan),
            "stages": Stage.choices, "collections": request.plan.collections.all() if request.plan else [],
            "can_add": can_add,
        }, request)

    # The table is the same for every user of a scope until something is committed: built once per data
    # version (the page around it, with the user's name and sign-out form, is rendered per request).
    parts = ["projects", str(request.plan.pk if request.plan else ""), f"{month:%Y-%m}",
             urlencode(sorted(request.GET.lists()), doseq=True), str(can_add)]
    html = scoped_html(request.user, "projects", parts, content, version=data_version())
    return render(request, "projects/list.html", {"content": html})


@login_required
@permission_required("projects.add_project", raise_exception=True)
def project_create(request: TouziRequest) -> HttpResponse:
    role = scope_of(request.user).role or ""
    form = ProjectForm(request.POST or None, role=role, plan=request.plan)
    if request.method == "POST" and form.is_valid():
        try:
            project = create_project(form.to_input(), actor=request.user)
        except BusinessError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, _("项目已登记"))
            return redirect("project-detail", pk=project.pk)
    return render(request, "projects/form.html", {"form": form, "project": None})


@login_required
def project_detail(request: TouziRequest, pk: int) -> HttpResponse:
    month = ledger().month_from(request)
    base = visible_projects(request.user).select_related("domain", "domain__parent", "county", "park", "owner",
                                                         "lead_unit")
    project = get_object_or_404(with_clarities(ledger().with_totals(base, month), month.year), pk=pk)
    reports = (ledger().reports_of(request.user, project).order_by("-month")
               .prefetch_related("evidence"))
    return render(request, "projects/detail.html", {
        "project": project, "month": month, "clarities": clarity_list(project),
        "reports": reports, "plans": project.annual_plans.all(),
        "memberships": project.memberships.select_related("collection"),
        "funding": project.funding.all(), "approvals": project.approvals.all(),
        "adjustments": ledger().adjustments_of(request.user, project),
        "can_change": can(request.user, project, Action.CHANGE),
        "stage_form": StageForm(initial={"stage": next(iter(sorted(STAGE_MOVES[project.stage])), "")}),
        "stage_moves": [(s, Stage(s).label) for s in Stage if s in STAGE_MOVES[project.stage]],
        "plan_form": AnnualPlanForm(initial={"year": month.year}),
        "factor_issues": project.factor_issues.select_related("owed_by"), "factor_form": FactorIssueForm(),
        "my_units": scope_of(request.user).unit_ids, "is_office": scope_of(request.user).is_office,
    })


@login_required
def project_edit(request: TouziRequest, pk: int) -> HttpResponse:
    project = _project(request, pk, Action.CHANGE)
    role = scope_of(request.user).role or ""
    form = ProjectForm(request.POST or None, role=role, plan=request.plan, project=project,
                       initial=initial_for(project))
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            update_project(project, form.to_input(), actor=request.user,
                           expected_version=form.cleaned_data.get("version"))
        except BusinessError as exc:
            _form_error(form, exc)
            status = 409 if isinstance(exc, Conflict) else 200
        else:
            messages.success(request, _("项目已保存"))
            return redirect("project-detail", pk=project.pk)
    return render(request, "projects/form.html", {"form": form, "project": project}, status=status)


@login_required
@require_POST
def project_stage(request: TouziRequest, pk: int) -> HttpResponse:
    project = _project(request, pk, Action.CHANGE)
    form = StageForm(request.POST)
    if form.is_valid():
        try:
            move_stage(project, form.cleaned_data["stage"], actor=request.user,
                       on_date=form.cleaned_data["on_date"], reason=form.cleaned_data["reason"],
                       document=form.cleaned_data["document"], new_total=form.cleaned_data["new_total"])
            messages.success(request, _("项目阶段已变更"))
        except BusinessError as exc:
            messages.error(request, exc.message)
    return redirect("project-detail", pk=project.pk)


@login_required
@require_POST
def project_annual_plan(request: TouziRequest, pk: int) -> HttpResponse:
    project = _project(request, pk, Action.CHANGE)
    form = AnnualPlanForm(request.POST)
    if not form.is_valid():
        messages.error(request, "; ".join(f"{form.fields[k].label}: {v[0]}" for k, v in form.errors.items()))
        return redirect("project-detail", pk=project.pk)
    data = form.cleaned_data
    try:
        set_annual_plan(project, data["year"], {
            "planned_investment": data["planned_investment"], "planned_start": data["planned_start"],
            "planned_completion": data["planned_completion"], "progress_target": data["progress_target"],
            "category": data["category"]}, actor=request.user, expected_version=data.get("version"))
        messages.success(request, _("年度计划已保存"))
    except BusinessError as exc:
        messages.error(request, exc.message)
    return redirect("project-detail", pk=project.pk)


@login_required
@require_POST
def factor_raise(request: TouziRequest, pk: int) -> HttpResponse:
    project = _project(request, pk, Action.CHANGE)
    form = FactorIssueForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            raise_factor_issue(project, data["kind"], data["description"], owed_by=data["owed_by"], due=data["due"],
                               actor=request.user)
            messages.success(request, _("已反映要素保障问题"))
        except BusinessError as exc:
            messages.error(request, exc.message)
    else:
        messages.error(request, _("请填写问题类别、描述和责任单位"))
    return redirect("project-detail", pk=project.pk)


@login_required
@require_POST
def factor_resolve(request: TouziRequest, pk: int) -> HttpResponse:
    issue = get_object_or_404(scope(request.user, FactorIssue.objects.all()), pk=pk)
    try:
        resolve_factor_issue(issue, request.POST.get("resolution", ""), actor=request.user)
        messages.success(request, _("问题已销号"))
    except BusinessError as exc:
        messages.error(request, exc.message)
    return redirect("project-detail", pk=issue.project_id)


@login_required
def project_history(request: TouziRequest, pk: int) -> HttpResponse:
    project = _project(request, pk)
    # Its own records, and the batch records of imports that wrote its reports (they list "<id>:<month>").
    mine = f"{project.pk}:"
    records = AuditRecord.objects.filter(Q(subject=project.subject) | batch_with_key(mine)).order_by("-at", "-id")
    page = Paginator(records, 100).get_page(request.GET.get("page"))
    for record in page:  # a batch shows this project's keys only (not saved: audit records are never changed)
        if record.subject == BATCH_SUBJECT and isinstance(record.after, dict):
            record.after = {**record.after, "keys": [k for k in record.after.get("keys", []) if k.startswith(mine)]}
    return render(request, "projects/history.html", {"project": project, "page": page})

