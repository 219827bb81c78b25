"""Pages of the promotion register: the list with its chart, an agreement with its history and funds, the
funds-arrived review queue, the four rates, and the Excel export."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Sum
from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from touzi.accounts.choices import Role
from touzi.core.http import TouziRequest
from touzi.core.scoping import Action, scope, scope_of
from touzi.lib.errors import BusinessError
from touzi.lib.evidence import evidence_response
from touzi.lib.periods import judged_on, month_of
from touzi.projects.selectors import visible_projects
from touzi.promotion.choices import AgreementState, FundsStatus, GroupBy, InvestorKind
from touzi.promotion.exports import register_workbook
from touzi.promotion.figures import growth, rates
from touzi.promotion.forms import AdvanceForm, AgreementForm, EditForm, FundsForm, ImportForm, TerminateForm
from touzi.promotion.models import PromotionEvent
from touzi.promotion.selectors import filtered, review_queue, visible_agreements, visible_funds
from touzi.promotion.services import (
    accept_funds,
    advance,
    create_event,
    register_agreement,
    report_funds,
    return_funds,
    terminate,
)
from touzi.reports.selectors import default_month
from touzi.units.choices import UnitKind
from touzi.units.models import Unit

ENTERS = (Role.PLAN_OFFICE, Role.COUNTY, Role.LEAD_UNIT)


def _business(request: TouziRequest) -> None:
    if not scope_of(request.user).business:
        raise PermissionDenied(_("您没有查看招商引资台账的权限"))


@login_required
def agreement_list(request: TouziRequest) -> HttpResponse:
    _business(request)
    agreements = filtered(visible_agreements(request.user), request.GET)
    page = Paginator(agreements.order_by("-signed_on", "code"), 50).get_page(request.GET.get("page"))
    events = (agreements.order_by().filter(event__isnull=False)
              .values("event__name", "event__held_on").annotate(n=Count("id"), amount=Sum("agreed_investment"))
              .order_by("event__held_on"))
    points = [[f"{e['event__held_on']:%Y-%m-%d}", float((e["amount"] / 10000).quantize(Decimal("0.01"))), e["n"],
               e["event__name"]] for e in events]
    return render(request, "promotion/list.html", {
        "page": page, "params": request.GET, "states": AgreementState.choices, "kinds": InvestorKind.choices,
        "counties": Unit.objects.filter(kind=UnitKind.COUNTY), "events": PromotionEvent.objects.all()[:200],
        "chart": {"points": points, "unit": _("亿元")}, "total": agreements.aggregate(
            n=Count("id"), amount=Sum("agreed_investment")),
        "may_enter": scope_of(request.user).role in ENTERS})


@login_required
def agreement_new(request: TouziRequest) -> HttpResponse:
    if scope_of(request.user).role not in ENTERS:
        raise PermissionDenied(_("您不能登记签约项目"))
    unit = request.user.unit
    initial = {"county": unit.pk if unit and unit.kind == UnitKind.COUNTY else None,
               "unit": unit.pk if unit else None, "investor_country": "中国"}
    form = AgreementForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            event = data.pop("event")
            name, place = data.pop("new_event"), data.pop("new_event_place")
            if name and event is None:
                event = create_event(name, data["signed_on"], place, actor=request.user)
            agreement = register_agreement(event=event, actor=request.user, **{
                k: v for k, v in data.items() if v not in (None, "") or k in ("three_enterprises",)})
        except BusinessError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, _("签约项目已登记:%(code)s") % {"code": agreement.code})
            return redirect("promotion-detail", pk=agreement.pk)
    return render(request, "promotion/new.html", {"form": form})


@login_required
def agreement_detail(request: TouziRequest, pk: int) -> HttpResponse:
    agreement = get_object_or_404(visible_agreements(request.user), pk=pk)
    may_change = scope(request.user, type(agreement).objects.filter(pk=pk), Action.CHANGE).exists()
    today = timezone.localdate()
    funds = agreement.funds.order_by("-month")
    totals = funds.filter(status=FundsStatus.ACCEPTED).aggregate(total=Sum("total"), usd=Sum("foreign_usd"))
    return render(request, "promotion/detail.html", {
        "a": agreement, "steps": agreement.steps.select_related("by"), "funds": funds, "totals": totals,
        "may_change": may_change, "open": agreement.state not in (AgreementState.TERMINATED,
                                                                   AgreementState.AT_CAPACITY),
        "advance_form": AdvanceForm(initial={"on": today, "version": agreement.version}),
        "terminate_form": TerminateForm(initial={"on": today, "version": agreement.version}),
        "funds_form": FundsForm(initial={"month": f"{today:%Y-%m}"}),
        "projects": visible_projects(request.user).filter(county_id=agreement.county_id).order_by("name")[:300]
        if may_change and agreement.project_id is None else []})


@login_required
@require_POST
def agreement_advance(request: TouziRequest, pk: int) -> HttpResponse:
    agreement = get_object_or_404(visible_agreements(request.user), pk=pk)
    form = AdvanceForm(request.POST)
    if not form.is_valid():
        messages.error(request, "; ".join(str(e) for errs in form.errors.values() for e in errs))
        return redirect("promotion-detail", pk=pk)
    data = form.cleaned_data
    project = visible_projects(request.user).filter(pk=data["project"]).first() if data["project"] else None
    try:
        advance(agreement, data["state"], data["on"], note=data["note"], project=project, actor=request.user,
                expected_version=data["version"])
        messages.success(request, _("进展已登记"))
    except BusinessError as exc:
        messages.error(request, exc.message)
    return redirect("promotion-detail", pk=pk)


@login_required
@require_POST
def agreement_terminate(request: TouziRequest, pk: int) -> HttpResponse:
    agreement = get_object_or_404(visible_agreements(request.user), pk=pk)
    form = TerminateForm(request.POST)
    if not form.is_valid():
        messages.error(request, "; ".join(str(e) for errs in form.errors.values() for e in errs))
        return redirect("promotion-detail", pk=pk)
    try:
        terminate(agreement, form.cleaned_data["on"], form.cleaned_data["reason"], actor=request.user,
                  expected_version=form.cleaned_data["version"])
        messages.success(request, _("签约项目已终止"))
    except BusinessError as exc:
        messages.error(request, exc.message)
    return redirect("promotion-detail", pk=pk)


@login_required
@require_POST
def funds_report(request: TouziRequest, pk: int) -> HttpResponse:
    agreement = get_object_or_404(visible_agreements(request.user), pk=pk)
    form = FundsForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, "; ".join(str(e) for errs in form.errors.values() for e in errs))
        return redirect("promotion-detail", pk=pk)
    data = form.cleaned_data
    try:
        month = month_of(data["month"])
    except ValueError:
        messages.error(request, _("报告期应为月份(YYYY-MM)"))
        return redirect("promotion-detail", pk=pk)
    try:
        report_funds(agreement, month, domestic=data["domestic"], foreign_usd=data["foreign_usd"],
                     exchange_rate=data["exchange_rate"], note=data["note"], evidence=data["evidence"],
                     actor=request.user)
        messages.success(request, _("到位资金已报送"))
    except BusinessError as exc:
        messages.error(request, exc.message)
    return redirect("promotion-detail", pk=pk)


@login_required
def funds_queue(request: TouziRequest) -> HttpResponse:
    _business(request)
    reviewer = scope_of(request.user).role in (Role.STATISTICS, Role.PLAN_OFFICE)
    reports = review_queue(request.user) if reviewer else visible_funds(request.user).order_by("-month")
    page = Paginator(reports, 50).get_page(request.GET.get("page"))
    return render(request, "promotion/funds.html", {"page": page, "reviewer": reviewer})


@login_required
@require_POST
def funds_review(request: TouziRequest, pk: int) -> HttpResponse:
    report = get_object_or_404(visible_funds(request.user), pk=pk)
    try:
        if request.POST.get("decision") == "accept":
            accept_funds(report, actor=request.user)
        else:
            return_funds(report, request.POST.get("reason", ""), actor=request.user)
        messages.success(request, _("已审核"))
    except BusinessError as exc:
        messages.error(request, exc.message)
    return redirect("promotion-funds")


@login_required
def funds_evidence(request: TouziRequest, pk: int) -> FileResponse:
    report = get_object_or_404(visible_funds(request.user).exclude(evidence=""), pk=pk)
    return evidence_response(report.evidence, content_type=report.evidence_type, name=report.evidence_name)


@login_required
def rates_page(request: TouziRequest) -> HttpResponse:
    _business(request)
    today = timezone.localdate()
    year = int(request.GET["year"]) if request.GET.get("year", "").isdigit() else None
    by = request.GET.get("by") or GroupBy.COUNTY
    by = by if by in GroupBy.values else GroupBy.COUNTY
    # By default as of today, or the end of the latest reported month when the ledger ends earlier (a finished
    # plan, the demo): otherwise the year's funds read 0 for a year nobody reports in.
    default = judged_on(default_month(), today)
    try:
        as_of = dt.date.fromisoformat(request.GET["as_of"]) if request.GET.get("as_of") else default
    except ValueError:
        as_of = default
    agreements = visible_agreements(request.user)
    found = rates(agreements, as_of=as_of, year=year, by=by)
    flow = growth(agreements, year or as_of.year, as_of)
    return render(request, "promotion/rates.html", {
        "rates": found, "year": year, "by": by, "as_of": as_of, "groups": GroupBy.choices, "growth": flow,
        "years": range(2021, today.year + 1)})


@login_required
def register_export(request: TouziRequest) -> HttpResponse:
    _business(request)
    agreements = filtered(visible_agreements(request.user), request.GET)
    response = HttpResponse(register_workbook(agreements),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = "attachment; filename*=UTF-8''promotion.xlsx"
    return response


@login_required
def agreement_edit(request: TouziRequest, pk: int) -> HttpResponse:
    """修改: correct what was entered (services.update_agreement: same rights as changing the agreement)."""
    from touzi.promotion.services import EDITABLE, update_agreement

    agreement = get_object_or_404(visible_agreements(request.user), pk=pk)
    if not scope(request.user, type(agreement).objects.filter(pk=pk), Action.CHANGE).exists():
        raise PermissionDenied(_("您不能修改该签约项目"))
    initial = {name: getattr(agreement, name) for name in EDITABLE}
    form = EditForm(request.POST or None, initial={**initial, "version": agreement.version})
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        changes = {k: v for k, v in data.items() if v != initial[k] and not (v in (None, "") and initial[k] in
                                                                             (None, ""))}
        try:
            update_agreement(agreement, changes, actor=request.user, expected_version=version)
        except BusinessError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, _("签约项目已修改") if changes else _("没有修改"))
            return redirect("promotion-detail", pk=pk)
    return render(request, "promotion/edit.html", {"form": form, "a": agreement})


@login_required
def import_page(request: TouziRequest) -> HttpResponse:
    """Excel 导入: agreements or funds arrived, all or nothing, with the row-by-row report of what was refused."""
    from touzi.lib.xlsx import SheetError
    from touzi.promotion.imports import import_agreements, import_funds

    if scope_of(request.user).role not in ENTERS:
        raise PermissionDenied(_("您不能导入签约项目或到位资金"))
    form = ImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        run = import_agreements if form.cleaned_data["kind"] == "agreements" else import_funds
        try:
            result = run(form.cleaned_data["file"].read(), request.user)
        except SheetError as exc:
            form.add_error("file", exc.message)
        else:
            if result.ok:
                messages.success(request, _("已导入 %(n)s 行") % {"n": result.counts["create"]})
                return redirect("promotion-list" if form.cleaned_data["kind"] == "agreements" else "promotion-funds")
    return render(request, "promotion/import.html", {"form": form, "result": result})


@login_required
def import_template(request: TouziRequest, kind: str) -> HttpResponse:
    from touzi.promotion.imports import agreement_template, funds_template

    if scope_of(request.user).role not in ENTERS:
        raise PermissionDenied(_("您不能导入签约项目或到位资金"))
    if kind == "agreements":
        content = agreement_template()
    elif kind == "funds":
        mine = scope(request.user, visible_agreements(request.user), Action.CHANGE).exclude(
            state__in=[AgreementState.TERMINATED])
        content = funds_template(mine, timezone.localdate().replace(day=1))
    else:
        raise PermissionDenied(_("未知模板"))
    response = HttpResponse(content,
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''promotion-{kind}-template.xlsx"
    return response
