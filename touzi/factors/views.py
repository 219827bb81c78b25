"""Pages of the factor ledgers: the ledger of quotas with their headroom, a quota with its allocations, the
idle land parcels, the projects blocked for factors, the keepers, and the Excel import."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from touzi.core.http import TouziRequest
from touzi.core.scoping import Action, can, scope, scope_of
from touzi.factors.choices import LAND_KINDS, UNIT_OF, AllocationStatus, QuotaKind
from touzi.factors.figures import by_kind, ledger, reuse, reuse_by_county
from touzi.factors.forms import (
    DecideForm,
    DisposeForm,
    ImportForm,
    KeeperForm,
    ParcelForm,
    QuotaForm,
    RequestForm,
)
from touzi.factors.models import Quota
from touzi.factors.selectors import (
    blocked_projects,
    filtered,
    keepers,
    may_decide,
    user_kinds,
    visible_allocations,
    visible_parcels,
    visible_quotas,
)
from touzi.factors.services import (
    approve_allocation,
    dispose_parcel,
    enter_quota,
    record_parcel,
    refuse_allocation,
    request_allocation,
    set_keeper,
    take_back,
)
from touzi.lib.errors import BusinessError
from touzi.projects.selectors import visible_projects
from touzi.reports.selectors import year_from


def _business(request: TouziRequest) -> None:
    if not scope_of(request.user).business:
        raise PermissionDenied(_("您没有查看要素保障台账的权限"))


def _errors(form: Any) -> str:
    return "; ".join(str(e) for errs in form.errors.values() for e in errs)


@login_required
def ledger_page(request: TouziRequest) -> HttpResponse:
    """要素保障台账: every quota of the year the user may see, with what is allocated and left."""
    _business(request)
    year = year_from(request)
    params = {**request.GET.dict(), "year": str(year)}
    quotas = filtered(visible_quotas(request.user), params)
    rows = ledger(quotas)
    return render(request, "factors/ledger.html", {
        "rows": rows, "totals": by_kind(quotas, rows), "year": year, "params": params, "kinds": QuotaKind.choices,
        "years": range(2021, timezone.localdate().year + 2), "may_enter": bool(user_kinds(request.user)),
        "land": reuse(visible_parcels(request.user), year), "waiting": may_decide(request.user).filter(
            status=AllocationStatus.REQUESTED).count()})


@login_required
def quota_new(request: TouziRequest) -> HttpResponse:
    kinds = user_kinds(request.user)
    if not kinds:
        raise PermissionDenied(_("只有要素主管部门和领导小组办公室可以下达指标"))
    form = QuotaForm(request.POST or None, initial={"year": timezone.localdate().year,
                                                   "granted_by": getattr(request.user, "unit_id", None)})
    kind_field = form.fields["kind"]
    assert isinstance(kind_field, forms.ChoiceField)
    kind_field.choices = [(v, label) for v, label in QuotaKind.choices if v in kinds]
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            quota = enter_quota(year=data["year"], kind=data["kind"], county=data["county"], park=data["park"],
                                amount=data["amount"], document=data["document"], granted_on=data["granted_on"],
                                granted_by=request.user.unit, balance_source=data["balance_source"] or "",
                                intensity_limit=data["intensity_limit"], note=data["note"], actor=request.user)
        except BusinessError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, _("指标已下达"))
            return redirect("factors-quota", pk=quota.pk)
    return render(request, "factors/quota_new.html", {"form": form})


@login_required
def quota_detail(request: TouziRequest, pk: int) -> HttpResponse:
    quota = get_object_or_404(visible_quotas(request.user), pk=pk)
    row = next(iter(ledger(Quota.objects.filter(pk=pk))))
    allocations = visible_allocations(request.user).filter(quota=quota).order_by("-requested_on", "-id")
    deciding = set(may_decide(request.user).filter(quota=quota).values_list("pk", flat=True))
    mine = visible_projects(request.user, Action.CHANGE).filter(county_id=quota.county_id)
    if quota.park_id:
        mine = mine.filter(park_id=quota.park_id)
    return render(request, "factors/quota.html", {
        "q": quota, "row": row, "allocations": allocations, "deciding": deciding, "unit": UNIT_OF[quota.kind],
        "projects": mine.order_by("name")[:300], "request_form": RequestForm(initial={
            "requested_on": timezone.localdate()}),
        "may_change": can(request.user, quota, Action.CHANGE), "is_energy": quota.kind == QuotaKind.ENERGY})


@login_required
@require_POST
def allocation_request(request: TouziRequest, pk: int) -> HttpResponse:
    quota = get_object_or_404(visible_quotas(request.user), pk=pk)
    form = RequestForm(request.POST)
    if not form.is_valid():
        messages.error(request, _errors(form))
        return redirect("factors-quota", pk=pk)
    data = form.cleaned_data
    project = visible_projects(request.user).filter(pk=data["project"]).first()
    if project is None:
        messages.error(request, _("没有这个项目"))
        return redirect("factors-quota", pk=pk)
    try:
        request_allocation(quota, project, data["requested"], requested_on=data["requested_on"],
                           intensity=data["intensity"], note=data["note"], actor=request.user)
        messages.success(request, _("指标申请已提交"))
    except BusinessError as exc:
        messages.error(request, exc.message)
    return redirect("factors-quota", pk=pk)


@login_required
@require_POST
def allocation_decide(request: TouziRequest, pk: int) -> HttpResponse:
    allocation = get_object_or_404(visible_allocations(request.user), pk=pk)
    form = DecideForm(request.POST)
    if not form.is_valid():
        messages.error(request, _errors(form))
        return redirect("factors-quota", pk=allocation.quota_id)
    data = form.cleaned_data
    try:
        if data["decision"] == "approve":
            approve_allocation(allocation, data["approved"], document=data["document"] or "",
                               approved_on=data["approved_on"], expected_version=data["version"], actor=request.user)
        elif data["decision"] == "refuse":
            refuse_allocation(allocation, data["reason"] or "", expected_version=data["version"], actor=request.user)
        else:
            take_back(allocation, data["reason"] or "", expected_version=data["version"], actor=request.user)
        messages.success(request, _("已处理"))
    except BusinessError as exc:
        messages.error(request, exc.message)
    return redirect("factors-quota", pk=allocation.quota_id)


def _may_record_parcels(user: Any) -> bool:
    who = scope_of(user)
    return who.is_office or who.role == "county" or bool(user_kinds(user) & set(LAND_KINDS))


@login_required
def parcels_page(request: TouziRequest) -> HttpResponse:
    """盘活存量土地: the idle parcels, their disposal, and the area reused against the year's goal."""
    _business(request)
    year = year_from(request)
    parcels = visible_parcels(request.user)
    may_record = _may_record_parcels(request.user)
    form = ParcelForm(request.POST or None) if may_record else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied(_("您不能登记存量土地"))
        if form.is_valid():
            data = form.cleaned_data
            try:
                record_parcel(code=data["code"], location=data["location"], kind=data["kind"], county=data["county"],
                              park=data["park"], area=data["area"], reason=data["reason"], holder=data["holder"],
                              approved_year=data["approved_year"], actor=request.user)
            except BusinessError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                messages.success(request, _("存量土地已登记"))
                return redirect("factors-parcels")
    changeable = set(scope(request.user, parcels, Action.CHANGE).values_list("pk", flat=True))
    return render(request, "factors/parcels.html", {
        "parcels": parcels.order_by("county__division_code", "code")[:500], "year": year, "form": form,
        "land": reuse(parcels, year), "counties": reuse_by_county(parcels, year), "changeable": changeable,
        "dispose_form": DisposeForm(initial={"disposed_on": timezone.localdate()})})


@login_required
@require_POST
def parcel_dispose(request: TouziRequest, pk: int) -> HttpResponse:
    parcel = get_object_or_404(visible_parcels(request.user), pk=pk)
    form = DisposeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _errors(form))
        return redirect("factors-parcels")
    data = form.cleaned_data
    try:
        dispose_parcel(parcel, data["disposal"], disposed_on=data["disposed_on"], disposed_area=data["disposed_area"],
                       note=data["note"], expected_version=data["version"], actor=request.user)
        messages.success(request, _("处置情况已登记"))
    except BusinessError as exc:
        messages.error(request, exc.message)
    return redirect("factors-parcels")


@login_required
def blocked_page(request: TouziRequest) -> HttpResponse:
    """要素保障问题 linked to the ledger: each open land/sea/forest/energy problem beside its county's headroom."""
    _business(request)
    year = year_from(request)
    return render(request, "factors/blocked.html", {"rows": blocked_projects(request.user, year), "year": year})


@login_required
def keepers_page(request: TouziRequest) -> HttpResponse:
    """要素主管部门: which bureau keeps which kind of quota (the office sets it)."""
    _business(request)
    office = scope_of(request.user).is_office
    form = KeeperForm(request.POST or None) if office else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied(_("只有领导小组办公室可以指定要素主管部门"))
        if form.is_valid():
            try:
                set_keeper(form.cleaned_data["unit"], form.cleaned_data["kind"],
                           keeps=form.cleaned_data["keeps"] == "1", actor=request.user)
            except BusinessError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("已保存"))
                return redirect("factors-keepers")
    return render(request, "factors/keepers.html", {"keepers": keepers(), "form": form})


def _may_import(user: Any) -> bool:
    who = scope_of(user)
    return who.is_office or who.role in ("county", "owner") or bool(user_kinds(user))


@login_required
def import_page(request: TouziRequest) -> HttpResponse:
    """Excel 导入: quotas (keepers), allocation requests (counties, owners) or idle parcels, all or nothing."""
    from touzi.factors.imports import IMPORTS
    from touzi.lib.xlsx import SheetError

    if not _may_import(request.user):
        raise PermissionDenied(_("您不能导入要素保障数据"))
    form = ImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        try:
            result = IMPORTS[form.cleaned_data["kind"]](form.cleaned_data["file"].read(), request.user)
        except SheetError as exc:
            form.add_error("file", exc.message)
        else:
            if result.ok:
                messages.success(request, _("已导入 %(n)s 行") % {"n": result.counts["create"]})
                return redirect("factors-parcels" if form.cleaned_data["kind"] == "parcels" else "factors-ledger")
    return render(request, "factors/import.html", {"form": form, "result": result})


@login_required
def import_template(request: TouziRequest, kind: str) -> HttpResponse:
    from touzi.factors.imports import TEMPLATES

    if not _may_import(request.user):
        raise PermissionDenied(_("您不能导入要素保障数据"))
    if kind not in TEMPLATES:
        raise PermissionDenied(_("未知模板"))
    response = HttpResponse(TEMPLATES[kind](),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''factors-{kind}-template.xlsx"
    return response


@login_required
def ledger_export(request: TouziRequest) -> HttpResponse:
    from touzi.factors.exports import ledger_workbook

    _business(request)
    year = year_from(request)
    rows = ledger(filtered(visible_quotas(request.user), {**request.GET.dict(), "year": str(year)}))
    response = HttpResponse(ledger_workbook(rows, year),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''factors-{year}.xlsx"
    return response


