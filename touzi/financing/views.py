"""Pages of funding and financing: the year's overview and figures, the needs board (a bank's home), a need
with its steps, a project's money, special bonds, PPP, fiscal affordability and the matchmaking events."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from touzi.core.acts import act
from touzi.core.http import TouziRequest
from touzi.core.roles import Role
from touzi.core.scoping import Action, can, scope, scope_of
from touzi.financing.choices import ArrivalStatus, NeedKind, NeedStatus, StepKind
from touzi.financing.figures import (
    affordability,
    bonds,
    by_bank,
    by_county,
    needs,
    ppp_added,
    ppp_pipeline,
    project_sources,
    sources,
)
from touzi.financing.forms import CommissionerForm, EventForm, PPPForm
from touzi.financing.models import FiscalBudget, FundsArrival, PPPProject
from touzi.financing.selectors import (
    visible_arrivals,
    visible_bonds,
    visible_events,
    visible_needs,
    visible_ppp,
    visible_projects,
    visible_steps,
)
from touzi.financing.services import (
    accept_arrival,
    appoint_commissioner,
    close_need,
    commissioner_needs,
    keep_ppp,
    publish_need,
    record_event,
    report_arrival,
    return_arrival,
    secure_funds,
    set_budget,
    take_step,
)
from touzi.financing.warnings import idle_months
from touzi.lib.errors import BusinessError, Forbidden
from touzi.lib.periods import add_months, month_of
from touzi.projects.choices import FundingSource
from touzi.reports.selectors import year_from
from touzi.units.choices import UnitKind
from touzi.units.models import Unit


def _business(request: TouziRequest) -> None:
    if not scope_of(request.user).business:
        raise PermissionDenied(_("您没有查看投融资信息的权限"))


def _no_bank(request: TouziRequest) -> None:
    """Pages of the projects' money: a bank sees none of it."""
    _business(request)
    if scope_of(request.user).role == Role.BANK:
        raise PermissionDenied(_("金融机构只查看融资需求"))


def _keeping(request: TouziRequest, pk: int) -> Any:
    """A project the user may change (its funds): 404 when unseen, 403 when only seen."""
    _no_bank(request)
    project = get_object_or_404(visible_projects(request.user), pk=pk)
    if not can(request.user, project, Action.CHANGE):
        raise PermissionDenied(_("您不能填报该项目的资金"))
    return project


def _decimal(value: str | None, field: str) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        return Decimal(str(value).replace(",", ""))
    except InvalidOperation as exc:
        raise BusinessError(_("请填写数字"), field=field) from exc


def _month(value: str) -> dt.date:
    try:
        return month_of(value)
    except ValueError as exc:
        raise BusinessError(_("报告期应为 YYYY-MM,例如 2023-03"), field="month") from exc


def _date(value: str | None, field: str) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise BusinessError(_("日期应为 YYYY-MM-DD"), field=field) from exc


@login_required
def overview(request: TouziRequest) -> HttpResponse:
    """The year's money by source, bonds, needs and the matchmaking figures by bank and by county."""
    _business(request)
    if scope_of(request.user).role == Role.BANK:
        return redirect("financing-needs")
    year = year_from(request)
    projects = visible_projects(request.user)
    need_qs = visible_needs(request.user)
    rows = [{**r, "gap": r["planned"] - r["secured"]} for r in sources(projects, year)]
    totals = {k: sum((r[k] for r in rows), Decimal(0)) for k in ("planned", "secured", "arrived")}
    return render(request, "financing/overview.html", {
        "year": year, "rows": rows, "totals": totals, "bonds": bonds(projects, year),
        "needs": needs(need_qs, year), "by_bank": by_bank(need_qs), "by_county": by_county(need_qs),
        "years": range(year - 3, year + 2)})


@login_required
def need_board(request: TouziRequest) -> HttpResponse:
    """The needs board: a bank's home. A bank sees the open needs and those it worked on; a 融资服务专员 sees
    first the open needs of the counties and projects assigned to them (their 待办)."""
    _business(request)
    found = visible_needs(request.user)
    status = request.GET.get("status", "")
    if status in NeedStatus.values:
        found = found.filter(status=status)
    county = request.GET.get("county", "")
    if county:
        found = found.filter(project__county__key=county)
    who = scope_of(request.user)
    todo = commissioner_needs(request.user).filter(pk__in=found.values("pk"))[:50] if who.role == Role.BANK else []
    page = Paginator(found.order_by("-published_on", "-id"), 50).get_page(request.GET.get("page"))
    may_publish = who.role in (Role.PLAN_OFFICE, Role.COUNTY, Role.OWNER, Role.LEAD_UNIT)
    return render(request, "financing/needs.html", {
        "page": page, "todo": todo, "statuses": NeedStatus.choices, "status": status, "county": county,
        "counties": Unit.objects.filter(kind=UnitKind.COUNTY), "is_bank": who.role == Role.BANK,
        "may_publish": may_publish, "may_appoint": who.is_office})


@login_required
def need_new(request: TouziRequest) -> HttpResponse:
    _business(request)
    projects = scope(request.user, visible_projects(request.user), Action.CHANGE).order_by("name")
    if not projects.exists():
        raise PermissionDenied(_("您没有可发布融资需求的项目"))
    error = ""
    if request.method == "POST":
        try:
            project = get_object_or_404(projects, pk=int(request.POST.get("project") or 0))
            term = request.POST.get("term_months", "")
            need = publish_need(project, amount=_decimal(request.POST.get("amount"), "amount") or Decimal(0),
                                term_months=int(term) if term.isdigit() else 0,
                                kind=request.POST.get("kind", ""), contact=request.POST.get("contact", ""),
                                purpose=request.POST.get("purpose", ""), pledge=request.POST.get("pledge", ""),
                                actor=request.user)
        except BusinessError as exc:
            error = exc.message
        else:
            messages.success(request, _("融资需求已发布"))
            return redirect("financing-need", pk=need.pk)
    return render(request, "financing/need_new.html", {
        "projects": projects[:500], "kinds": NeedKind.choices, "error": error, "data": request.POST})


@login_required
def need_detail(request: TouziRequest, pk: int) -> HttpResponse:
    _business(request)
    need = get_object_or_404(visible_needs(request.user), pk=pk)
    who = scope_of(request.user)
    return render(request, "financing/need.html", {
        "need": need, "steps": visible_steps(request.user).filter(need=need),
        "is_bank": who.role == Role.BANK, "kinds": StepKind.choices, "today": timezone.localdate(),
        "may_close": can(request.user, need, Action.CHANGE) and need.status != NeedStatus.CLOSED,
        "open": need.status != NeedStatus.CLOSED})


@login_required
@require_POST
def need_step(request: TouziRequest, pk: int) -> HttpResponse:
    _business(request)
    need = get_object_or_404(visible_needs(request.user), pk=pk)
    if scope_of(request.user).role != Role.BANK:
        raise PermissionDenied(_("只有金融机构可以登记对接进展"))
    act(request, lambda: take_step(
        need, request.POST.get("kind", ""), on=_date(request.POST.get("on"), "on"),
        amount=_decimal(request.POST.get("amount"), "amount"), note=request.POST.get("note", ""),
        subsidised=request.POST.get("subsidised") == "on", scheme=request.POST.get("scheme", ""), actor=request.user),
        _("对接进展已登记"))
    return redirect("financing-need", pk=need.pk)


@login_required
@require_POST
def need_close(request: TouziRequest, pk: int) -> HttpResponse:
    _business(request)
    need = get_object_or_404(visible_needs(request.user), pk=pk)
    if not can(request.user, need, Action.CHANGE):
        raise PermissionDenied(_("您不能关闭该融资需求"))
    act(request, lambda: close_need(need, request.POST.get("reason", ""), actor=request.user), _("融资需求已关闭"))
    return redirect("financing-need", pk=need.pk)


@login_required
def project_funds(request: TouziRequest, pk: int) -> HttpResponse:
    """One project's money: by source planned, secured, arrived and the gap; arrivals; bonds; PPP; needs."""
    _no_bank(request)
    project = get_object_or_404(visible_projects(request.user), pk=pk)
    rows = project_sources(project)
    totals = {k: sum((r[k] for r in rows), Decimal(0)) for k in ("planned", "secured", "arrived", "gap")}
    today = timezone.localdate()
    return render(request, "financing/project.html", {
        "project": project, "rows": rows, "totals": totals,
        "arrivals": visible_arrivals(request.user).filter(project=project)[:200],
        "bonds": visible_bonds(request.user).filter(project=project),
        "ppp": visible_ppp(request.user).filter(project=project).first(),
        "needs": visible_needs(request.user).filter(project=project)[:50],
        "may_change": can(request.user, project, Action.CHANGE), "sources": FundingSource.choices,
        "may_review": scope_of(request.user).role in (Role.STATISTICS, Role.PLAN_OFFICE),
        "month": f"{today:%Y-%m}", "year": today.year})


@login_required
@require_POST
def arrival_new(request: TouziRequest, pk: int) -> HttpResponse:
    project = _keeping(request, pk)
    act(request, lambda: report_arrival(
        project, request.POST.get("source", ""), _month(request.POST.get("month", "")),
        _decimal(request.POST.get("amount"), "amount") or Decimal(0), note=request.POST.get("note", ""),
        evidence=request.FILES.get("evidence"), actor=request.user), _("到位资金已报送"))
    return redirect("financing-project", pk=project.pk)


@login_required
@require_POST
def secured_new(request: TouziRequest, pk: int) -> HttpResponse:
    project = _keeping(request, pk)
    year = request.POST.get("year", "")
    act(request, lambda: secure_funds(
        project, request.POST.get("source", ""), int(year) if year.isdigit() else 0,
        _decimal(request.POST.get("amount"), "amount") or Decimal(0), note=request.POST.get("note", ""),
        actor=request.user), _("已落实资金已保存"))
    return redirect("financing-project", pk=project.pk)


@login_required
@require_POST
def arrival_review(request: TouziRequest, pk: int) -> HttpResponse:
    _no_bank(request)
    arrival = get_object_or_404(visible_arrivals(request.user), pk=pk)
    if not scope(request.user, FundsArrival.objects.filter(pk=arrival.pk), Action.REVIEW).exists():
        raise PermissionDenied(_("只有统计局或领导小组办公室审核到位资金"))
    if request.POST.get("decision") == "accept":
        act(request, lambda: accept_arrival(arrival, actor=request.user), _("已审核"))
    else:
        act(request, lambda: return_arrival(arrival, request.POST.get("reason", ""), actor=request.user), _("已审核"))
    return redirect("financing-project", pk=arrival.project_id)


@login_required
def arrival_queue(request: TouziRequest) -> HttpResponse:
    """Arrived funds waiting for review (statistics bureau, plan office)."""
    _no_bank(request)
    if scope_of(request.user).role not in (Role.STATISTICS, Role.PLAN_OFFICE):
        raise PermissionDenied(_("只有统计局或领导小组办公室审核到位资金"))
    waiting = scope(request.user, FundsArrival.objects.select_related("project", "bank"), Action.REVIEW).filter(
        status=ArrivalStatus.SUBMITTED)
    return render(request, "financing/arrivals.html", {"arrivals": waiting.order_by("month", "id")[:300]})


@login_required
def bond_list(request: TouziRequest) -> HttpResponse:
    _no_bank(request)
    year = request.GET.get("year", "")
    found = visible_bonds(request.user)
    if year.isdigit():
        found = found.filter(year=int(year))
    cutoff = add_months(timezone.localdate().replace(day=1), -idle_months() + 1)
    return render(request, "financing/bonds.html", {
        "bonds": found[:1000], "total": bonds(visible_projects(request.user), int(year) if year.isdigit() else None),
        "year": year, "cutoff": cutoff, "idle_months": idle_months()})


@login_required
def ppp_list(request: TouziRequest) -> HttpResponse:
    _no_bank(request)
    found = visible_ppp(request.user)
    return render(request, "financing/ppp.html", {
        "ppp": found[:1000], "pipeline": ppp_pipeline(found), "added": ppp_added(found)})


@login_required
def fiscal(request: TouziRequest) -> HttpResponse:
    """Fiscal affordability of a year; the plan office enters the general public budget expenditure here."""
    _no_bank(request)
    year = year_from(request)
    who = scope_of(request.user)
    if request.method == "POST":
        if not who.is_office:
            raise PermissionDenied(_("只有领导小组办公室可以填报一般公共预算支出"))
        try:
            posted = int(request.POST.get("year", "0"))
            set_budget(posted, _decimal(request.POST.get("expenditure"), "expenditure") or Decimal(0),
                       ceiling_pct=_decimal(request.POST.get("ceiling_pct"), "ceiling_pct") or Decimal(10),
                       actor=request.user)
        except (BusinessError, ValueError) as exc:
            messages.error(request, getattr(exc, "message", str(exc)))
        else:
            messages.success(request, _("一般公共预算支出已保存"))
            return redirect(f"{request.path}?year={posted}")
    return render(request, "financing/fiscal.html", {
        "year": year, "found": affordability(year, visible_projects(request.user)),
        "budgets": scope(request.user, FiscalBudget.objects.all()), "may_enter": who.is_office})


@login_required
def event_list(request: TouziRequest) -> HttpResponse:
    _business(request)
    events = visible_events(request.user).prefetch_related("banks", "projects").order_by("-held_on")[:200]
    return render(request, "financing/events.html", {"events": events, "is_office": scope_of(request.user).is_office})


def _form_error(form: Any, exc: BusinessError) -> None:
    field = exc.field if exc.field in form.fields else None
    form.add_error(field, exc.message)


@login_required
def event_new(request: TouziRequest) -> HttpResponse:
    """路演 / 对接会: the office records an event, the projects presented, the banks present, what was signed."""
    _business(request)
    if not scope_of(request.user).is_office:
        raise PermissionDenied(_("只有领导小组办公室可以登记融资对接活动"))
    projects = visible_projects(request.user)
    form = EventForm(request.POST or None, projects=projects)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            record_event(name=data["name"], kind=data["kind"], held_on=data["held_on"], place=data["place"],
                         projects=list(data["projects"]), banks=list(data["banks"]), intentions=data["intentions"],
                         intention_amount=data["intention_amount"], outcome=data["outcome"], actor=request.user)
        except Forbidden as exc:
            raise PermissionDenied(exc.message) from exc
        except BusinessError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, _("融资对接活动已登记"))
            return redirect("financing-events")
    return render(request, "financing/form.html", {
        "form": form, "title": _("登记路演 / 对接会"), "back": reverse("financing-events"), "form_id": "event-form"})


@login_required
def commissioner_new(request: TouziRequest) -> HttpResponse:
    """融资服务专员: the office assigns a bank's account to a county or to projects (their open needs are its 待办)."""
    _business(request)
    if not scope_of(request.user).is_office:
        raise PermissionDenied(_("只有领导小组办公室可以指定融资服务专员"))
    form = CommissionerForm(request.POST or None, projects=visible_projects(request.user))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            appoint_commissioner(data["user"], county=data["county"], projects=list(data["projects"]),
                                 actor=request.user)
        except Forbidden as exc:
            raise PermissionDenied(exc.message) from exc
        except BusinessError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, _("融资服务专员已指定"))
            return redirect("financing-needs")
    return render(request, "financing/form.html", {
        "form": form, "title": _("指定融资服务专员"), "back": reverse("financing-needs"), "form_id": "commissioner-form"})


@login_required
def ppp_keep(request: TouziRequest, pk: int) -> HttpResponse:
    """Enter a project as PPP or move it along its pipeline (forward only; 采购 needs the joint review 联审)."""
    project = _keeping(request, pk)
    found = PPPProject.objects.filter(project=project).first()
    initial = {f: getattr(found, f) for f in PPPForm.base_fields} if found else {"added_year": timezone.localdate().year}
    form = PPPForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            keep_ppp(project, added_year=data["added_year"], investment=data["investment"],
                     annual_fiscal=data["annual_fiscal"], stage=data["stage"], term_years=data["term_years"],
                     joint_review_on=data["joint_review_on"], joint_review_result=data["joint_review_result"],
                     actor=request.user)
        except Forbidden as exc:
            raise PermissionDenied(exc.message) from exc
        except BusinessError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, _("PPP项目已保存"))
            return redirect("financing-project", pk=project.pk)
    return render(request, "financing/form.html", {
        "form": form, "title": _("PPP项目:%(p)s") % {"p": project.name}, "back": reverse("financing-project", args=[project.pk]),
        "form_id": "ppp-form"})

