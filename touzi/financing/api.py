"""Funding and financing over the API (/api/v1/financing): the needs board, a bank's steps, a project's money,
special bonds, the year's summary and the fiscal affordability figures.

A bank's token lists the open needs it may see (and those it has worked on) and its own steps; everything of
the projects (their funds, bonds, PPP) answers 404 for it.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Literal

from annotated_types import MaxLen
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import File, Router, Schema
from ninja.files import UploadedFile
from pydantic import ConfigDict, Field

from touzi.core.http import TouziRequest
from touzi.financing.choices import EventKind, NeedKind, PPPStage, StepKind
from touzi.financing.figures import affordability, funding_summary, project_sources
from touzi.financing.models import BondAllocation, FinancingNeed, FundsArrival, NeedStep
from touzi.financing.selectors import (
    visible_arrivals,
    visible_bonds,
    visible_needs,
    visible_projects,
    visible_steps,
)
from touzi.financing.services import (
    accept_arrival,
    allocate_bond,
    appoint_commissioner,
    close_need,
    keep_ppp,
    publish_need,
    record_event,
    report_arrival,
    return_arrival,
    take_step,
    update_bond,
)
from touzi.lib.apischema import Day, ErrorOut, Key, Money, Period, RowId, Text, Year, errors
from touzi.lib.errors import BusinessError
from touzi.lib.periods import month_of
from touzi.projects.api import if_match
from touzi.projects.choices import FundingSource
from touzi.reports.selectors import default_year
from touzi.units.models import Unit

router = Router(tags=["financing"])


class NeedOut(Schema):
    id: int
    project: int
    project_name: str
    county: str
    amount: Decimal
    term_months: int
    kind: str
    purpose: str
    pledge: str
    contact: str
    status: str
    published_on: dt.date
    granted_on: dt.date | None
    version: int


class StepOut(Schema):
    id: int
    need: int
    bank: str
    kind: str
    amount: Decimal | None
    on: dt.date
    note: str
    loan: int | None


class NeedIn(Schema):
    model_config = ConfigDict(extra="forbid")

    project: RowId
    amount: Money
    term_months: Annotated[int, Field(ge=1, le=600)]
    kind: NeedKind
    contact: Annotated[Text, MaxLen(128)]
    purpose: Annotated[Text, MaxLen(2000)] = ""
    pledge: Annotated[Text, MaxLen(2000)] = ""


class StepIn(Schema):
    model_config = ConfigDict(extra="forbid")

    kind: StepKind
    on: Day | None = None
    amount: Money | None = None
    note: Annotated[Text, MaxLen(2000)] = ""
    subsidised: bool = False
    scheme: Annotated[Text, MaxLen(64)] = ""


class ReasonIn(Schema):
    model_config = ConfigDict(extra="forbid")

    reason: Annotated[Text, MaxLen(2000)]


class SourceRow(Schema):
    source: str
    planned: Decimal
    secured: Decimal
    arrived: Decimal
    gap: Decimal


class ArrivalOut(Schema):
    id: int
    project: int
    source: str
    period: str
    amount: Decimal
    bank: str | None
    loan: int | None
    status: str
    version: int


class BondOut(Schema):
    id: int
    project: int
    batch: str
    year: int
    amount: Decimal
    capital: Decimal
    issued: Decimal
    disbursed: Decimal
    disbursed_on: dt.date | None
    spent: Decimal
    version: int


class ProjectFundsOut(Schema):
    project: int
    sources: list[SourceRow]
    arrivals: list[ArrivalOut]
    bonds: list[BondOut]


class ArrivalIn(Schema):
    model_config = ConfigDict(extra="forbid")

    source: FundingSource
    period: Period
    amount: Money
    bank: Key | None = None
    note: Annotated[Text, MaxLen(2000)] = ""


class BondIn(Schema):
    model_config = ConfigDict(extra="forbid")

    batch: Annotated[Text, MaxLen(64)]
    year: Year
    amount: Money
    capital: Money = Decimal(0)


class BondPatch(Schema):
    model_config = ConfigDict(extra="forbid")

    issued: Money | None = None
    issued_on: Day | None = None
    disbursed: Money | None = None
    disbursed_on: Day | None = None
    spent: Money | None = None
    spent_as_of: Day | None = None
    capital: Money | None = None


class SummarySource(Schema):
    source: str
    planned: str
    secured: str
    arrived: str


class FinancingSummaryOut(Schema):
    year: int
    sources: list[SummarySource]
    bonds: dict[str, str]
    needs: dict[str, int | str]


class FiscalOut(Schema):
    year: int
    budget: Decimal | None
    ceiling_pct: Decimal | None
    ppp_responsibility: Decimal
    ppp_share: Decimal | None
    ppp_limit_pct: Decimal
    ppp_passes: bool | None
    government_payments: Decimal
    fiscal_total: Decimal
    fiscal_share: Decimal | None
    over_ceiling: bool | None


class ImportError_(Schema):
    row: int
    column: str
    value: str
    message: str


class FinancingImportOut(Schema):
    imported: int
    errors: list[ImportError_]


def _need_out(n: FinancingNeed) -> dict:
    return {**{f: getattr(n, f) for f in NeedOut.model_fields if f not in ("project", "project_name", "county")},
            "project": n.project_id, "project_name": n.project.name, "county": n.project.county.key}


def _step_out(s: NeedStep) -> dict:
    return {"id": s.pk, "need": s.need_id, "bank": s.bank.key, "kind": s.kind, "amount": s.amount, "on": s.on,
            "note": s.note, "loan": s.loan_id}


def _arrival_out(a: FundsArrival) -> dict:
    return {"id": a.pk, "project": a.project_id, "source": a.source, "period": f"{a.month:%Y-%m}",
            "amount": a.amount, "bank": a.bank.key if a.bank else None, "loan": a.loan_id, "status": a.status,
            "version": a.version}


def _bond_out(b: BondAllocation) -> dict:
    return {f: getattr(b, f) for f in BondOut.model_fields if f != "project"} | {"project": b.project_id}


def _need(request: TouziRequest, pk: int) -> FinancingNeed:
    return get_object_or_404(visible_needs(request.user), pk=pk)


@router.get("/needs", response={200: list[NeedOut], **errors(400, 422)}, summary="融资需求(金融机构看到的需求板)")
def list_needs(request: TouziRequest, status: Annotated[Text, MaxLen(16)] = "", county: Key = ""):
    found = visible_needs(request.user)
    if status:
        found = found.filter(status=status)
    if county:
        found = found.filter(project__county__key=county)
    return [_need_out(n) for n in found.order_by("-published_on", "-id")[:5000]]


@router.post("/needs", response={201: NeedOut, **errors(400, 403, 404, 422)}, summary="发布融资需求")
def post_need(request: TouziRequest, body: NeedIn):
    project = get_object_or_404(visible_projects(request.user), pk=body.project)
    need = publish_need(project, amount=body.amount, term_months=body.term_months, kind=body.kind,
                        contact=body.contact, purpose=body.purpose, pledge=body.pledge, actor=request.user)
    return 201, _need_out(_need(request, need.pk))


@router.get("/needs/{pk}", response={200: NeedOut, **errors(404, 422)}, summary="融资需求详情")
def get_need(request: TouziRequest, pk: int):
    return _need_out(_need(request, pk))


@router.get("/needs/{pk}/steps", response={200: list[StepOut], **errors(404, 422)},
            summary="对接进展(金融机构只看到本机构的)")
def list_steps(request: TouziRequest, pk: int):
    need = _need(request, pk)
    return [_step_out(s) for s in visible_steps(request.user).filter(need=need)]


@router.post("/needs/{pk}/steps", response={201: StepOut, **errors(400, 403, 404, 422)},
             summary="金融机构登记对接进展(意向、对接、尽调、授信、放款、婉拒)")
def post_step(request: TouziRequest, pk: int, body: StepIn):
    step = take_step(_need(request, pk), body.kind, on=body.on, amount=body.amount, note=body.note,
                     subsidised=body.subsidised, scheme=body.scheme, actor=request.user)
    return 201, _step_out(NeedStep.objects.select_related("bank").get(pk=step.pk))


@router.post("/needs/{pk}/close", response={200: NeedOut, **errors(400, 403, 404, 412, 422)}, summary="关闭融资需求")
def post_close(request: TouziRequest, pk: int, body: ReasonIn):
    close_need(_need(request, pk), body.reason, actor=request.user, expected_version=if_match(request))
    return _need_out(_need(request, pk))


@router.get("/summary", response={200: FinancingSummaryOut, **errors(400, 422)}, summary="某年资金来源、专项债券、融资需求(亿元)")
def get_summary(request: TouziRequest, year: Year | None = None):
    return funding_summary(visible_projects(request.user), visible_needs(request.user),
                           year or default_year())


@router.get("/fiscal", response={200: FiscalOut, **errors(400, 422)}, summary="财政承受能力(PPP 10%与政府投资项目支出上限)")
def get_fiscal(request: TouziRequest, year: Year | None = None):
    return affordability(year or default_year(), visible_projects(request.user))


@router.get("/projects/{pk}", response={200: ProjectFundsOut, **errors(404, 422)},
            summary="项目资金:按来源的计划、已落实、已到位与缺口,到位记录,专项债券")
def get_project_funds(request: TouziRequest, pk: int):
    project = get_object_or_404(visible_projects(request.user), pk=pk)
    return {"project": project.pk, "sources": project_sources(project),
            "arrivals": [_arrival_out(a) for a in visible_arrivals(request.user).filter(project=project)[:1000]],
            "bonds": [_bond_out(b) for b in visible_bonds(request.user).filter(project=project)]}


@router.post("/projects/{pk}/arrivals", response={201: ArrivalOut, **errors(400, 403, 404, 422)},
             summary="填报到位资金")
def post_arrival(request: TouziRequest, pk: int, body: ArrivalIn):
    project = get_object_or_404(visible_projects(request.user), pk=pk)
    bank = Unit.objects.filter(key=body.bank).first() if body.bank else None
    if body.bank and bank is None:
        raise BusinessError(f"没有这个单位:{body.bank}", field="bank")
    arrival = report_arrival(project, body.source, month_of(body.period), body.amount, note=body.note, bank=bank,
                             actor=request.user)
    return 201, _arrival_out(arrival)


@router.post("/arrivals/{pk}/accept", response={200: ArrivalOut, **errors(400, 403, 404, 412, 422)},
             summary="审核通过到位资金")
def post_accept(request: TouziRequest, pk: int):
    arrival = get_object_or_404(visible_arrivals(request.user), pk=pk)
    return _arrival_out(accept_arrival(arrival, actor=request.user, expected_version=if_match(request)))


@router.post("/arrivals/{pk}/return", response={200: ArrivalOut, **errors(400, 403, 404, 412, 422)},
             summary="退回到位资金")
def post_return(request: TouziRequest, pk: int, body: ReasonIn):
    arrival = get_object_or_404(visible_arrivals(request.user), pk=pk)
    return _arrival_out(return_arrival(arrival, body.reason, actor=request.user, expected_version=if_match(request)))


@router.get("/bonds", response={200: list[BondOut], **errors(400, 422)}, summary="专项债券额度(按权限范围)")
def list_bonds(request: TouziRequest, year: Year | None = None):
    found = visible_bonds(request.user)
    if year:
        found = found.filter(year=year)
    return [_bond_out(b) for b in found[:5000]]


@router.post("/projects/{pk}/bonds", response={201: BondOut, **errors(400, 403, 404, 409, 422)},
             summary="分配专项债券额度")
def post_bond(request: TouziRequest, pk: int, body: BondIn):
    project = get_object_or_404(visible_projects(request.user), pk=pk)
    bond = allocate_bond(project, batch=body.batch, year=body.year, amount=body.amount, capital=body.capital,
                         actor=request.user)
    return 201, _bond_out(bond)


@router.patch("/bonds/{pk}", response={200: BondOut, **errors(400, 403, 404, 412, 422)},
              summary="专项债券发行、拨付、支出进度")
def patch_bond(request: TouziRequest, pk: int, body: BondPatch):
    bond = get_object_or_404(visible_bonds(request.user), pk=pk)
    changes = body.model_dump(exclude_unset=True)
    return _bond_out(update_bond(bond, changes, actor=request.user, expected_version=if_match(request)))


UPLOAD = File(None)


@router.post("/import/{kind}", response={200: FinancingImportOut, 400: FinancingImportOut | ErrorOut, **errors(403, 404, 422)},
             summary="Excel 导入到位资金(arrivals)或专项债券额度(bonds):全部通过才导入,否则逐行列出问题")
def post_import(request: TouziRequest, kind: Literal["arrivals", "bonds"], file: UploadedFile | None = UPLOAD):
    from touzi.core.roles import Role
    from touzi.core.scoping import scope_of
    from touzi.financing.imports import write_arrivals, write_bonds
    from touzi.lib.errors import Forbidden
    from touzi.lib.xlsx import SheetError

    if scope_of(request.user).role not in (Role.PLAN_OFFICE, Role.COUNTY, Role.OWNER):
        raise Forbidden("您不能导入到位资金或专项债券额度")
    if file is None:
        raise BusinessError("请上传 Excel 文件(表单字段 file)", field="file")
    run = write_arrivals if kind == "arrivals" else write_bonds
    try:
        result = run(file.read(), request.user)
    except SheetError as exc:
        raise BusinessError(exc.message) from exc
    body = {"imported": result.counts["create"], "errors": [e.as_dict() for e in result.errors]}
    return (200 if result.ok else 400), body


# --- events, 融资服务专员, PPP ------------------------------------------------------------------------------------


class EventIn(Schema):
    model_config = ConfigDict(extra="forbid")

    name: Annotated[Text, MaxLen(128)]
    kind: EventKind
    held_on: Day
    place: Annotated[Text, MaxLen(128)] = ""
    projects: Annotated[list[RowId], MaxLen(500)] = []
    banks: Annotated[list[Key], MaxLen(200)] = []
    intentions: Annotated[int, Field(ge=0, le=100000)] = 0
    intention_amount: Money = Decimal(0)
    outcome: Annotated[Text, MaxLen(4000)] = ""


class EventOut(Schema):
    id: int
    name: str
    kind: str
    held_on: dt.date
    place: str
    projects: list[int]
    banks: list[str]
    intentions: int
    intention_amount: Decimal
    outcome: str


class CommissionerIn(Schema):
    model_config = ConfigDict(extra="forbid")

    user: Annotated[Text, MaxLen(150)]
    county: Key | None = None
    projects: Annotated[list[RowId], MaxLen(500)] = []


class CommissionerOut(Schema):
    id: int
    user: str
    bank: str
    county: str | None
    projects: list[int]


class PPPIn(Schema):
    model_config = ConfigDict(extra="forbid")

    stage: PPPStage
    added_year: Year
    investment: Money
    annual_fiscal: Money = Decimal(0)
    term_years: Annotated[int, Field(ge=1, le=50)] = 20
    joint_review_on: Day | None = None
    joint_review_result: Annotated[Text, MaxLen(4000)] = ""


class PPPOut(Schema):
    project: int
    stage: str
    added_year: int
    investment: Decimal
    annual_fiscal: Decimal
    term_years: int
    joint_review_on: dt.date | None
    joint_review_result: str
    version: int


def _office_only(request: TouziRequest, message: str) -> None:
    from touzi.core.scoping import scope_of
    from touzi.lib.errors import Forbidden

    if not scope_of(request.user).is_office:
        raise Forbidden(message)


def _project_list(request: TouziRequest, pks: list[int]) -> list:
    found = list(visible_projects(request.user).filter(pk__in=pks))
    if len(found) != len(set(pks)):
        raise BusinessError(_("有项目不存在或不在您的范围内"), field="projects")
    return found


@router.post("/events", response={201: EventOut, **errors(400, 403, 422)},
             summary="登记路演 / 政金企对接会(领导小组办公室)")
def post_event(request: TouziRequest, body: EventIn):
    _office_only(request, _("只有领导小组办公室可以登记融资对接活动"))
    from touzi.units.choices import UnitKind

    banks = list(Unit.objects.filter(kind=UnitKind.BANK, key__in=body.banks))
    if len(banks) != len(set(body.banks)):
        raise BusinessError(_("参会机构应为金融机构"), field="banks")
    event = record_event(name=body.name, kind=body.kind, held_on=body.held_on, place=body.place,
                         projects=_project_list(request, body.projects), banks=banks, intentions=body.intentions,
                         intention_amount=body.intention_amount, outcome=body.outcome, actor=request.user)
    return 201, {"id": event.pk, "name": event.name, "kind": event.kind, "held_on": event.held_on,
                 "place": event.place, "projects": [p.pk for p in event.projects.all()],
                 "banks": [b.key for b in event.banks.all()], "intentions": event.intentions,
                 "intention_amount": event.intention_amount, "outcome": event.outcome}


@router.post("/commissioners", response={201: CommissionerOut, **errors(400, 403, 404, 422)},
             summary="指定融资服务专员(领导小组办公室):金融机构的账号,服务一个县区或若干项目")
def post_commissioner(request: TouziRequest, body: CommissionerIn):
    from touzi.accounts.models import User

    _office_only(request, _("只有领导小组办公室可以指定融资服务专员"))
    user = get_object_or_404(User, username=body.user)
    county = get_object_or_404(Unit, key=body.county) if body.county else None
    obj = appoint_commissioner(user, county=county, projects=_project_list(request, body.projects),
                               actor=request.user)
    return 201, {"id": obj.pk, "user": user.username, "bank": obj.bank.key,
                 "county": obj.county.key if obj.county else None, "projects": [p.pk for p in obj.projects.all()]}


@router.put("/projects/{pk}/ppp", response={200: PPPOut, **errors(400, 403, 404, 422)},
            summary="登记PPP项目或推进阶段(只进不退;进入采购前须经联审)")
def put_ppp(request: TouziRequest, pk: int, body: PPPIn):
    project = get_object_or_404(visible_projects(request.user), pk=pk)
    obj = keep_ppp(project, added_year=body.added_year, investment=body.investment, annual_fiscal=body.annual_fiscal,
                   stage=body.stage, term_years=body.term_years, joint_review_on=body.joint_review_on,
                   joint_review_result=body.joint_review_result, actor=request.user)
    return {"project": obj.project_id, "stage": obj.stage, "added_year": obj.added_year,
            "investment": obj.investment, "annual_fiscal": obj.annual_fiscal, "term_years": obj.term_years,
            "joint_review_on": obj.joint_review_on, "joint_review_result": obj.joint_review_result,
            "version": obj.version}
