"""The factor ledgers over the API (/api/v1/factors): quotas with their headroom, allocations, idle parcels."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Literal

from annotated_types import MaxLen
from django.shortcuts import get_object_or_404
from ninja import File, Router, Schema
from ninja.files import UploadedFile
from pydantic import ConfigDict

from touzi.core.http import TouziRequest
from touzi.factors.choices import AllocationStatus, BalanceSource, Disposal, ParcelKind, QuotaKind
from touzi.factors.figures import LedgerRow, ledger
from touzi.factors.models import Allocation, IdleParcel, Quota
from touzi.factors.selectors import filtered, visible_allocations, visible_parcels, visible_quotas
from touzi.factors.services import (
    approve_allocation,
    dispose_parcel,
    enter_quota,
    record_parcel,
    refuse_allocation,
    request_allocation,
    take_back,
)
from touzi.lib.apischema import Day, ErrorOut, Key, Money, RowId, Text, Year, errors
from touzi.lib.errors import BusinessError
from touzi.projects.api import if_match
from touzi.projects.selectors import visible_projects
from touzi.units.models import Unit

router = Router(tags=["factors"])
# Amounts (亩, 公顷, 吨标准煤, 吨) are bounded like money: four places.


class QuotaOut(Schema):
    id: int
    year: int
    kind: str
    county: str
    county_name: str
    unit: str
    quota: Decimal
    allocated: Decimal
    headroom: Decimal
    pending: Decimal
    document: str


class QuotaIn(Schema):
    model_config = ConfigDict(extra="forbid")

    year: Year
    kind: QuotaKind
    county: Key
    park: Key | None = None
    amount: Money
    document: Annotated[Text, MaxLen(200)]
    granted_on: Day | None = None
    balance_source: BalanceSource = BalanceSource.NONE
    intensity_limit: Money | None = None
    note: Text = ""


class AllocationOut(Schema):
    id: int
    quota: int
    kind: str
    project: int
    project_name: str
    requested: Decimal
    approved: Decimal | None
    status: str
    requested_on: dt.date
    approved_on: dt.date | None
    document: str
    intensity: Decimal | None
    note: str
    version: int


class AllocationIn(Schema):
    model_config = ConfigDict(extra="forbid")

    project: RowId
    requested: Money
    requested_on: Day | None = None
    intensity: Money | None = None
    note: Annotated[Text, MaxLen(500)] = ""


class ApproveIn(Schema):
    model_config = ConfigDict(extra="forbid")

    approved: Money | None = None
    document: Annotated[Text, MaxLen(200)]
    approved_on: Day | None = None


class ReasonIn(Schema):
    model_config = ConfigDict(extra="forbid")

    reason: Annotated[Text, MaxLen(500)]


class ParcelOut(Schema):
    id: int
    code: str
    location: str
    kind: str
    county: str
    park: str | None
    area: Decimal
    reason: str
    holder: str
    approved_year: int | None
    disposal: str
    disposed_on: dt.date | None
    disposed_area: Decimal
    version: int


class ParcelIn(Schema):
    model_config = ConfigDict(extra="forbid")

    code: Annotated[Text, MaxLen(64)]
    location: Annotated[Text, MaxLen(200)]
    kind: ParcelKind
    county: Key
    park: Key | None = None
    area: Money
    reason: Text = ""
    holder: Annotated[Text, MaxLen(200)] = ""
    approved_year: Year | None = None


class DisposeIn(Schema):
    model_config = ConfigDict(extra="forbid")

    disposal: Disposal
    disposed_on: Day | None = None
    disposed_area: Money | None = None
    note: Annotated[Text, MaxLen(500)] = ""


def _quota_out(row: LedgerRow) -> dict:
    return {"id": row.id, "year": row.year, "kind": row.kind, "county": row.county_key, "county_name": row.county,
            "unit": row.unit, "quota": row.quota, "allocated": row.allocated, "headroom": row.headroom,
            "pending": row.pending, "document": row.document}


def _allocation_out(a: Allocation) -> dict:
    return {**{f: getattr(a, f) for f in AllocationOut.model_fields if f not in ("quota", "kind", "project",
                                                                                "project_name")},
            "quota": a.quota_id, "kind": a.quota.kind, "project": a.project_id, "project_name": a.project.name}


def _parcel_out(p: IdleParcel) -> dict:
    return {**{f: getattr(p, f) for f in ParcelOut.model_fields if f not in ("county", "park")},
            "county": p.county.key, "park": p.park.key if p.park else None}


def _unit(key: str | None, field: str) -> Unit | None:
    if not key:
        return None
    unit = Unit.objects.filter(key=key).first()
    if unit is None:
        raise BusinessError(f"没有这个单位:{key}", field=field)
    return unit


def _quota(request: TouziRequest, pk: int) -> Quota:
    return get_object_or_404(visible_quotas(request.user), pk=pk)


def _allocation(request: TouziRequest, pk: int) -> Allocation:
    return get_object_or_404(visible_allocations(request.user), pk=pk)


@router.get("/quotas", response={200: list[QuotaOut], **errors(400, 422)},
            summary="要素指标台账:下达、已配置、余量(余量=下达-已配置)")
def list_quotas(request: TouziRequest, year: Year | None = None, kind: QuotaKind | None = None, county: Key = ""):
    found = filtered(visible_quotas(request.user), {"year": year or "", "kind": kind or "", "county": county})
    return [_quota_out(r) for r in ledger(found)]


@router.post("/quotas", response={201: QuotaOut, **errors(400, 403, 409, 412, 422)},
             summary="下达要素指标(主管部门;同年度同地同类再次下达即更正)")
def post_quota(request: TouziRequest, body: QuotaIn):
    county = _unit(body.county, "county")
    if county is None:  # the schema's key may be empty
        raise BusinessError("请填写县区", field="county")
    quota = enter_quota(year=body.year, kind=body.kind, county=county, park=_unit(body.park, "park"),
                        amount=body.amount, document=body.document, granted_on=body.granted_on,
                        granted_by=getattr(request.user, "unit", None), balance_source=body.balance_source,
                        intensity_limit=body.intensity_limit, note=body.note, actor=request.user,
                        expected_version=if_match(request))
    return 201, _quota_out(ledger(Quota.objects.filter(pk=quota.pk))[0])


@router.get("/quotas/{pk}", response={200: QuotaOut, **errors(404, 422)}, summary="一条要素指标及其余量")
def get_quota(request: TouziRequest, pk: int):
    return _quota_out(ledger(Quota.objects.filter(pk=_quota(request, pk).pk))[0])


@router.get("/allocations", response={200: list[AllocationOut], **errors(400, 422)}, summary="指标配置(按权限范围)")
def list_allocations(request: TouziRequest, quota: RowId | None = None, status: AllocationStatus | None = None):
    found = visible_allocations(request.user)
    if quota:
        found = found.filter(quota_id=quota)
    if status:
        found = found.filter(status=status)
    return [_allocation_out(a) for a in found.order_by("-requested_on", "-id")[:5000]]


@router.post("/quotas/{pk}/allocations", response={201: AllocationOut, **errors(400, 403, 404, 422)},
             summary="申请指标(项目所在县区或业主)")
def post_allocation(request: TouziRequest, pk: int, body: AllocationIn):
    quota = _quota(request, pk)
    project = get_object_or_404(visible_projects(request.user), pk=body.project)
    allocation = request_allocation(quota, project, body.requested, requested_on=body.requested_on,
                                    intensity=body.intensity, note=body.note, actor=request.user)
    return 201, _allocation_out(_allocation(request, allocation.pk))


@router.post("/allocations/{pk}/approve", response={200: AllocationOut, **errors(400, 403, 404, 412, 422)},
             summary="批准指标申请(本类要素主管部门;不超过申请量和余量)")
def post_approve(request: TouziRequest, pk: int, body: ApproveIn):
    return _allocation_out(approve_allocation(_allocation(request, pk), body.approved, document=body.document,
                                              approved_on=body.approved_on, expected_version=if_match(request),
                                              actor=request.user))


@router.post("/allocations/{pk}/refuse", response={200: AllocationOut, **errors(400, 403, 404, 412, 422)},
             summary="不予批准指标申请")
def post_refuse(request: TouziRequest, pk: int, body: ReasonIn):
    return _allocation_out(refuse_allocation(_allocation(request, pk), body.reason,
                                             expected_version=if_match(request), actor=request.user))


@router.post("/allocations/{pk}/take-back", response={200: AllocationOut, **errors(400, 403, 404, 412, 422)},
             summary="收回已配置指标(退回指标池)")
def post_take_back(request: TouziRequest, pk: int, body: ReasonIn):
    return _allocation_out(take_back(_allocation(request, pk), body.reason, expected_version=if_match(request),
                                     actor=request.user))


@router.get("/parcels", response={200: list[ParcelOut], **errors(400, 422)}, summary="存量土地(批而未供、供而未用)")
def list_parcels(request: TouziRequest, county: Key = "", disposal: Disposal | None = None):
    found = visible_parcels(request.user)
    if county:
        found = found.filter(county__key=county)
    if disposal:
        found = found.filter(disposal=disposal)
    return [_parcel_out(p) for p in found.order_by("county_id", "code")[:5000]]


@router.post("/parcels", response={201: ParcelOut, **errors(400, 403, 422)}, summary="登记存量土地(再次登记即更正)")
def post_parcel(request: TouziRequest, body: ParcelIn):
    county = _unit(body.county, "county")
    if county is None:  # the schema's key may be empty
        raise BusinessError("请填写县区", field="county")
    parcel = record_parcel(code=body.code, location=body.location, kind=body.kind, county=county,
                           park=_unit(body.park, "park"), area=body.area, reason=body.reason, holder=body.holder,
                           approved_year=body.approved_year, actor=request.user)
    return 201, _parcel_out(get_object_or_404(visible_parcels(request.user), pk=parcel.pk))


@router.post("/parcels/{pk}/dispose", response={200: ParcelOut, **errors(400, 403, 404, 412, 422)},
             summary="登记存量土地处置(盘活面积计入盘活目标)")
def post_dispose(request: TouziRequest, pk: int, body: DisposeIn):
    parcel = get_object_or_404(visible_parcels(request.user), pk=pk)
    done = dispose_parcel(parcel, body.disposal, disposed_on=body.disposed_on, disposed_area=body.disposed_area,
                          note=body.note, expected_version=if_match(request), actor=request.user)
    return _parcel_out(get_object_or_404(visible_parcels(request.user), pk=done.pk))


class ImportError_(Schema):
    row: int
    column: str
    value: str
    message: str


class FactorImportOut(Schema):
    imported: int
    errors: list[ImportError_]


UPLOAD = File(None)


@router.post("/import/{kind}", response={200: FactorImportOut, 400: FactorImportOut | ErrorOut, **errors(403, 404, 422)},
             summary="Excel导入要素指标(quotas)、指标申请(allocations)或存量土地(parcels):全部通过才导入")
def post_import(request: TouziRequest, kind: Literal["quotas", "allocations", "parcels"],
                file: UploadedFile | None = UPLOAD):
    from touzi.factors.imports import IMPORTS
    from touzi.factors.views import _may_import
    from touzi.lib.errors import Forbidden
    from touzi.lib.xlsx import SheetError

    if not _may_import(request.user):
        raise Forbidden("您不能导入要素保障数据")
    if file is None:
        raise BusinessError("请上传 Excel 文件(表单字段 file)", field="file")
    try:
        result = IMPORTS[kind](file.read(), request.user)
    except SheetError as exc:
        raise BusinessError(exc.message) from exc
    body = {"imported": result.counts["create"], "errors": [e.as_dict() for e in result.errors]}
    return (200 if result.ok else 400), body
