"""The promotion register over the API (/api/v1/promotion): agreements, their progress, funds arrived, rates."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Annotated, Literal

from annotated_types import MaxLen
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import File, Router, Schema
from ninja.files import UploadedFile
from pydantic import AfterValidator, ConfigDict
from pydantic_core import PydanticCustomError

from touzi.core.http import TouziRequest
from touzi.lib.apischema import Day, ErrorOut, Key, Money, Period, RowId, Text, Year, errors
from touzi.lib.errors import BusinessError
from touzi.lib.periods import month_of
from touzi.projects.api import if_match
from touzi.projects.selectors import visible_projects
from touzi.promotion.choices import AgreementState, Currency, GroupBy, InvestorKind, ThreeEnterprises
from touzi.promotion.figures import rates
from touzi.promotion.models import SECTOR_PATTERN, Agreement, FundsReport, PromotionEvent
from touzi.promotion.selectors import filtered, visible_agreements, visible_funds
from touzi.promotion.services import (
    accept_funds,
    advance,
    create_event,
    register_agreement,
    report_funds,
    return_funds,
    terminate,
)
from touzi.units.models import Unit

router = Router(tags=["promotion"])


class AgreementOut(Schema):
    id: int
    code: str
    name: str
    investor: str
    investor_kind: str
    investor_region: str
    investor_country: str
    three_enterprises: str
    sector: str
    signed_on: dt.date
    event: str | None
    currency: str
    agreed_investment: Decimal
    agreed_usd: Decimal | None
    exchange_rate: Decimal | None
    county: str
    park: str | None
    unit: str
    due_start: dt.date
    due_production: dt.date
    state: str
    state_since: dt.date
    started_on: dt.date | None
    in_production_on: dt.date | None
    terminated_on: dt.date | None
    termination_reason: str
    project: int | None
    version: int


def _sector(value: str) -> str:
    """A GB/T 4754 code (C, C36, C3612); anything else is a 422 that says so in Chinese."""
    code = value.strip().upper()
    if not re.fullmatch(SECTOR_PATTERN, code):
        raise PydanticCustomError(
            "sector", "行业代码“{code}”无效:应为 GB/T 4754 门类字母(A—T),可带大类/中类/小类数字(如 C、C36、C3612)",
            {"code": value})
    return code


Sector = Annotated[Text, AfterValidator(_sector)]


class AgreementIn(Schema):
    model_config = ConfigDict(extra="forbid")

    name: Annotated[Text, MaxLen(200)]
    investor: Annotated[Text, MaxLen(200)]
    investor_kind: InvestorKind
    investor_region: Annotated[Text, MaxLen(64)] = ""
    investor_country: Annotated[Text, MaxLen(64)] = "中国"
    three_enterprises: ThreeEnterprises = ThreeEnterprises.NONE
    sector: Sector
    signed_on: Day
    event: Annotated[Text, MaxLen(128)] = ""
    event_place: Annotated[Text, MaxLen(128)] = ""
    currency: Currency = Currency.CNY
    agreed_investment: Money | None = None
    agreed_usd: Money | None = None
    exchange_rate: Decimal | None = None
    county: Key
    park: Key | None = None
    unit: Key
    due_registration: Day | None = None
    due_land: Day | None = None
    due_start: Day
    due_production: Day


class AdvanceIn(Schema):
    model_config = ConfigDict(extra="forbid")

    state: AgreementState
    on: Day
    note: Text = ""
    project: RowId | None = None


class TerminateIn(Schema):
    model_config = ConfigDict(extra="forbid")

    on: Day
    reason: Text


class FundsIn(Schema):
    model_config = ConfigDict(extra="forbid")

    period: Period
    domestic: Money | None = None
    foreign_usd: Money | None = None
    exchange_rate: Decimal | None = None
    note: Text = ""


class FundsOut(Schema):
    id: int
    agreement: int
    period: str
    domestic: Decimal
    foreign_usd: Decimal
    exchange_rate: Decimal | None
    foreign: Decimal
    total: Decimal
    status: str
    return_reason: str
    version: int


class ReasonIn(Schema):
    reason: Text


class RateRow(Schema):
    label: str
    signed: int
    honoured_rate: float | None
    funds_rate: float | None
    started_rate: float | None
    production_rate: float | None
    funds_arrived: float


class RatesOut(Schema):
    rows: list[RateRow]
    total: RateRow


def _out(a: Agreement) -> dict:
    return {**{f: getattr(a, f) for f in AgreementOut.model_fields if f not in (
        "event", "county", "park", "unit", "project")},
        "event": str(a.event) if a.event else None, "county": a.county.key, "park": a.park.key if a.park else None,
        "unit": a.unit.key, "project": a.project_id}


def _funds_out(r: FundsReport) -> dict:
    return {**{f: getattr(r, f) for f in FundsOut.model_fields if f not in ("agreement", "period")},
            "agreement": r.agreement_id, "period": f"{r.month:%Y-%m}"}


def _unit(key: str | None, field: str) -> Unit | None:
    if not key:
        return None
    unit = Unit.objects.filter(key=key).first()
    if unit is None:
        raise BusinessError(f"没有这个单位:{key}", field=field)
    return unit


def _get(request: TouziRequest, pk: int) -> Agreement:
    return get_object_or_404(visible_agreements(request.user), pk=pk)


@router.get("/agreements", response={200: list[AgreementOut], **errors(400, 422)}, summary="招商签约项目(按权限范围)")
def list_agreements(request: TouziRequest, county: Key = "", state: Annotated[Text, MaxLen(16)] = "", year: Year | None = None,
                    sector: Annotated[Text, MaxLen(5)] = ""):
    found = filtered(visible_agreements(request.user), {"county": county, "state": state, "year": year or "",
                                                        "sector": sector})
    return [_out(a) for a in found.order_by("-signed_on", "code")[:5000]]


@router.post("/agreements", response={201: AgreementOut, **errors(400, 403, 409, 422)}, summary="登记签约项目")
def post_agreement(request: TouziRequest, body: AgreementIn):
    data = body.model_dump()
    event = None
    if data.pop("event"):
        event = PromotionEvent.objects.filter(name=body.event, held_on=body.signed_on).first()
    place = data.pop("event_place")
    county, park, unit = _unit(body.county, "county"), _unit(body.park, "park"), _unit(body.unit, "unit")
    if body.event and event is None:
        event = create_event(body.event, body.signed_on, place, actor=request.user)
    data.update(county=county, park=park, unit=unit, event=event)
    agreement = register_agreement(actor=request.user, **data)
    return 201, _out(_get(request, agreement.pk))


@router.get("/agreements/{pk}", response={200: AgreementOut, **errors(404, 422)}, summary="签约项目详情")
def get_agreement(request: TouziRequest, pk: int):
    return _out(_get(request, pk))


@router.post("/agreements/{pk}/advance", response={200: AgreementOut, **errors(400, 403, 404, 412, 422)},
             summary="登记进展(注册、落地、开工、投产、达产)")
def post_advance(request: TouziRequest, pk: int, body: AdvanceIn):
    project = get_object_or_404(visible_projects(request.user), pk=body.project) if body.project else None
    advance(_get(request, pk), body.state, body.on, note=body.note, project=project, actor=request.user,
            expected_version=if_match(request))
    return _out(_get(request, pk))


@router.post("/agreements/{pk}/terminate", response={200: AgreementOut, **errors(400, 403, 404, 412, 422)},
             summary="终止签约项目")
def post_terminate(request: TouziRequest, pk: int, body: TerminateIn):
    terminate(_get(request, pk), body.on, body.reason, actor=request.user, expected_version=if_match(request))
    return _out(_get(request, pk))


@router.post("/agreements/{pk}/funds", response={201: FundsOut, **errors(400, 403, 404, 409, 422)},
             summary="报送到位资金月报")
def post_funds(request: TouziRequest, pk: int, body: FundsIn):
    report = report_funds(_get(request, pk), month_of(body.period), domestic=body.domestic,
                          foreign_usd=body.foreign_usd, exchange_rate=body.exchange_rate, note=body.note,
                          actor=request.user)
    return 201, _funds_out(report)


@router.post("/funds/{pk}/accept", response={200: FundsOut, **errors(400, 403, 404, 412, 422)},
             summary="审核通过到位资金(统计局)")
def post_accept(request: TouziRequest, pk: int):
    report = get_object_or_404(visible_funds(request.user), pk=pk)
    return _funds_out(accept_funds(report, actor=request.user, expected_version=if_match(request)))


@router.post("/funds/{pk}/return", response={200: FundsOut, **errors(400, 403, 404, 412, 422)},
             summary="退回到位资金(统计局)")
def post_return(request: TouziRequest, pk: int, body: ReasonIn):
    report = get_object_or_404(visible_funds(request.user), pk=pk)
    return _funds_out(return_funds(report, body.reason, actor=request.user, expected_version=if_match(request)))


@router.get("/rates", response={200: RatesOut, **errors(400, 422)}, summary="四个率(履约率、资金到位率、开工率、投产率)")
def get_rates(request: TouziRequest, year: Year | None = None, as_of: Day | None = None,
              by: GroupBy = GroupBy.COUNTY):
    found = rates(visible_agreements(request.user), as_of=as_of or timezone.localdate(), year=year, by=by)
    payload = found.as_json("label")
    return payload


class AgreementPatch(Schema):
    """修改签约项目: only the fields given change (services.EDITABLE); send If-Match with the version read."""

    model_config = ConfigDict(extra="forbid")

    name: Annotated[Text, MaxLen(200)] | None = None
    investor: Annotated[Text, MaxLen(200)] | None = None
    investor_kind: InvestorKind | None = None
    investor_region: Annotated[Text, MaxLen(64)] | None = None
    investor_country: Annotated[Text, MaxLen(64)] | None = None
    three_enterprises: ThreeEnterprises | None = None
    sector: Sector | None = None
    event: int | None = None
    park: Key | None = None
    unit: Key | None = None
    due_registration: Day | None = None
    due_land: Day | None = None
    due_start: Day | None = None
    due_production: Day | None = None


@router.patch("/agreements/{pk}", response={200: AgreementOut, **errors(400, 403, 404, 412, 422)},
              summary="修改签约项目(投资方、行业、活动、责任单位、约定节点)")
def patch_agreement(request: TouziRequest, pk: int, body: AgreementPatch):
    from touzi.promotion.services import update_agreement

    changes = body.model_dump(exclude_unset=True)
    if "event" in changes:
        changes["event"] = get_object_or_404(PromotionEvent, pk=changes["event"]) if changes["event"] else None
    for key in ("park", "unit"):
        if key in changes:
            changes[key] = _unit(changes[key], key)
    update_agreement(_get(request, pk), changes, actor=request.user, expected_version=if_match(request))
    return _out(_get(request, pk))


UPLOAD = File(None)


class ImportError_(Schema):
    row: int
    column: str
    value: str
    message: str


class ImportOut(Schema):
    imported: int
    errors: list[ImportError_]


@router.post("/import/{kind}", response={200: ImportOut, 400: ImportOut | ErrorOut, **errors(403, 404, 422)},
             summary="Excel导入签约项目(agreements)或到位资金(funds):全部通过才导入,否则逐行列出问题")
def post_import(request: TouziRequest, kind: Literal["agreements", "funds"], file: UploadedFile | None = UPLOAD):
    from touzi.accounts.choices import Role
    from touzi.core.scoping import scope_of
    from touzi.lib.errors import Forbidden
    from touzi.lib.xlsx import SheetError
    from touzi.promotion.imports import import_agreements, import_funds

    if scope_of(request.user).role not in (Role.PLAN_OFFICE, Role.COUNTY, Role.LEAD_UNIT):
        raise Forbidden("您不能导入签约项目或到位资金")
    run = {"agreements": import_agreements, "funds": import_funds}.get(kind)
    if run is None:
        raise BusinessError("导入内容应为 agreements 或 funds")
    if file is None:
        raise BusinessError("请上传 Excel 文件(表单字段 file)", field="file")
    try:
        result = run(file.read(), request.user)
    except SheetError as exc:
        raise BusinessError(exc.message) from exc
    body = {"imported": result.counts["create"], "errors": [e.as_dict() for e in result.errors]}
    return (200 if result.ok else 400), body
