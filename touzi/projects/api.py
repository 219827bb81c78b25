from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any, Literal

from annotated_types import MaxLen
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema
from pydantic import ConfigDict

from touzi.core.http import TouziRequest
from touzi.core.scoping import Action
from touzi.lib.apischema import Day, Key, Limit, Money, Offset, Period, Text, Year, errors
from touzi.lib.errors import BusinessError
from touzi.lib.periods import month_of
from touzi.plans.models import Domain
from touzi.projects.choices import Stage
from touzi.projects.forms import parse_collections
from touzi.projects.ledger import ledger
from touzi.projects.selectors import (
    ProjectFilters,
    ProjectWithFigures,
    clarity_list,
    project_list,
    visible_projects,
)
from touzi.projects.services import (
    PLAN_CATEGORIES,
    ProjectInput,
    create_project,
    move_stage,
    set_annual_plan,
    update_project,
)
from touzi.units.models import Unit

router = Router(tags=["projects"])


class ProjectOut(Schema):
    id: int
    code: str | None
    name: str
    domain: str
    county: str
    park: str | None
    owner: str
    lead_unit: str | None
    leader: str
    total_investment: Decimal
    stage: str
    planned_start: str | None
    planned_completion: str | None
    is_government: bool
    fiscal_contribution: Decimal
    is_real_estate: bool
    industry: str
    collections: list[str]
    month: str
    month_amount: Decimal
    ytd: Decimal
    since_start: Decimal
    clarities: dict[str, bool]
    is_demo: bool
    version: int


class ProjectIn(Schema):
    """What a client may send; anything else is refused (422), and fields its role may not change are 403."""

    model_config = ConfigDict(extra="forbid")

    # Lengths are the columns' (PostgreSQL's VARCHAR); money, months and texts as touzi.lib.apischema bounds them.
    code: Annotated[Text, MaxLen(24)] | None = None
    name: Annotated[Text, MaxLen(255)] | None = None
    domain: Key | None = None
    county: Key | None = None
    park: Key | None = None
    owner: Key | None = None
    lead_unit: Key | None = None
    leader: Annotated[Text, MaxLen(64)] | None = None
    total_investment: Money | None = None
    planned_start: Period | None = None
    planned_completion: Period | None = Field(None, description="YYYY-MM,不早于计划开工")
    is_government: bool | None = None
    fiscal_contribution: Money | None = None
    is_real_estate: bool | None = None
    industry: Annotated[Text, MaxLen(2)] | None = None
    occupies_farmland: bool | None = None
    farmland_plan: Text | None = None
    description: Text | None = None
    collections: list[Key] | None = Field(None, max_length=100,
                                          description='collection keys, "major-list:2023" for a yearly list')
    funding: dict[Key, Money] | None = None
    stage: Key | None = Field(None, description="only when registering a project that is already under way: "
                                                + ", ".join(Stage.values))


class StageIn(Schema):
    stage: Key = Field(..., description=", ".join(Stage.values))
    on_date: Day | None = None
    reason: Annotated[Text, MaxLen(500)] = ""


class AnnualPlanIn(Schema):
    model_config = ConfigDict(extra="forbid")

    planned_investment: Money | None = None
    planned_start: Period | None = None
    planned_completion: Period | None = Field(None, description="YYYY-MM,不早于计划开工")
    progress_target: Text = ""
    category: Literal[tuple(str(c) for c in PLAN_CATEGORIES)] = ""  # type: ignore[valid-type]


class AnnualPlanOut(Schema):
    year: int
    planned_investment: Decimal | None
    planned_start: str | None
    planned_completion: str | None
    progress_target: str
    category: str
    version: int


def _ym(value: dt.date | None) -> str | None:
    return f"{value:%Y-%m}" if value else None


def project_out(p: ProjectWithFigures, month: dt.date) -> dict[str, Any]:
    return {
        "id": p.pk, "code": p.code, "name": p.name, "domain": p.domain.key, "county": p.county.key,
        "park": p.park.key if p.park is not None else None, "owner": p.owner.key,
        "lead_unit": p.lead_unit.key if p.lead_unit is not None else None, "leader": p.leader,
        "total_investment": p.total_investment, "stage": p.stage, "planned_start": _ym(p.planned_start),
        "planned_completion": _ym(p.planned_completion), "is_government": p.is_government,
        "fiscal_contribution": p.fiscal_contribution, "is_real_estate": p.is_real_estate, "industry": p.industry,
        "collections": [f"{m.collection.key}:{m.year}" if m.year else m.collection.key for m in p.memberships.all()],
        "month": f"{month:%Y-%m}", "month_amount": p.month_amount, "ytd": p.ytd, "since_start": p.since_start,
        "clarities": {c.value: ok for c, ok in clarity_list(p)}, "is_demo": p.is_demo, "version": p.version,
    }


def _month(value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        return month_of(value)
    except ValueError as exc:
        raise BusinessError(str(exc)) from exc


def _unit(key: str | None, field: str) -> Unit | None:
    if key is None:
        return None
    unit = Unit.objects.filter(key=key).first()
    if unit is None:
        raise BusinessError(f"没有这个单位:{key}", field=field)
    return unit


def to_input(body: ProjectIn) -> ProjectInput:
    given = body.model_dump(exclude_unset=True)
    values: dict[str, Any] = {}
    for name, value in given.items():
        if name in ("collections", "funding", "stage"):
            continue
        if name == "domain":
            domain = Domain.objects.filter(key=value).first()
            if domain is None:
                raise BusinessError(f"没有这个领域:{value}", field="domain")
            values[name] = domain
        elif name in ("county", "park", "owner", "lead_unit"):
            values[name] = _unit(value, name)
        elif name in ("planned_start", "planned_completion"):
            values[name] = _month(value)
        elif name == "code":
            values[name] = value or None
        else:
            values[name] = value
    data = ProjectInput(values=values)
    if "collections" in given:
        data.collections = parse_collections(given["collections"] or [])
    if "funding" in given:
        data.funding = given["funding"] or {}
    if given.get("stage"):
        data.extra["stage"] = given["stage"]
    return data


def _one(request: TouziRequest, pk: int, month: dt.date) -> ProjectWithFigures:
    qs = project_list(request.user, ProjectFilters(), month).prefetch_related("memberships__collection")
    return get_object_or_404(qs, pk=pk)


@router.get("", response={200: list[ProjectOut], **errors(400, 422)}, summary="项目列表(按权限范围)")
def list_projects(request: TouziRequest, q: Annotated[Text, MaxLen(100)] = "", domain: Key = "", county: Key = "", stage: Key = "",
                  collection: Key = "", month: Period | None = None, offset: Offset = 0, limit: Limit = 100):
    at = _month(month) or ledger().default_month()
    filters = ProjectFilters(q=q, domain=domain, county=county, stage=stage, collection=collection, year=at.year)
    rows = project_list(request.user, filters, at).prefetch_related("memberships__collection")
    return [project_out(p, at) for p in rows[offset:offset + limit]]


@router.get("/{pk}", response={200: ProjectOut, **errors(400, 404, 422)}, summary="项目详情")
def get_project(request: TouziRequest, pk: int, month: Period | None = None):
    at = _month(month) or ledger().default_month()
    return project_out(_one(request, pk, at), at)


@router.post("", response={201: ProjectOut, **errors(400, 403, 422)}, summary="登记项目")
def post_project(request: TouziRequest, body: ProjectIn):
    project = create_project(to_input(body), actor=request.user)
    at = ledger().default_month()
    return 201, project_out(_one(request, project.pk, at), at)


@router.patch("/{pk}", response={200: ProjectOut, **errors(400, 403, 404, 412, 422)},
              summary="修改项目(If-Match: 版本号)")
def patch_project(request: TouziRequest, pk: int, body: ProjectIn):
    project = get_object_or_404(visible_projects(request.user, Action.CHANGE), pk=pk)
    if body.model_dump(exclude_unset=True).get("stage"):
        raise BusinessError("阶段请通过 /projects/{id}/stage 变更", field="stage")
    update_project(project, to_input(body), actor=request.user, expected_version=if_match(request))
    at = ledger().default_month()
    return project_out(_one(request, pk, at), at)


@router.post("/{pk}/stage", response={200: ProjectOut, **errors(400, 403, 404, 422)}, summary="变更项目阶段")
def post_stage(request: TouziRequest, pk: int, body: StageIn):
    project = get_object_or_404(visible_projects(request.user, Action.CHANGE), pk=pk)
    move_stage(project, body.stage, actor=request.user, on_date=body.on_date, reason=body.reason)
    at = ledger().default_month()
    return project_out(_one(request, pk, at), at)


@router.put("/{pk}/plans/{year}", response={200: AnnualPlanOut, **errors(400, 403, 404, 412, 422)},
            summary="填写年度计划")
def put_annual_plan(request: TouziRequest, pk: int, year: Year, body: AnnualPlanIn):
    project = get_object_or_404(visible_projects(request.user, Action.CHANGE), pk=pk)
    values = body.model_dump()
    values["planned_start"] = _month(values["planned_start"])
    values["planned_completion"] = _month(values["planned_completion"])
    plan = set_annual_plan(project, year, values, actor=request.user, expected_version=if_match(request))
    return {"year": plan.year, "planned_investment": plan.planned_investment,
            "planned_start": _ym(plan.planned_start), "planned_completion": _ym(plan.planned_completion),
            "progress_target": plan.progress_target, "category": plan.category, "version": plan.version}


def if_match(request: TouziRequest) -> int | None:
    """The version a client last read, from If-Match ("3" or W/"3"); None when absent."""
    header = request.headers.get("If-Match", "").strip()
    if not header:
        return None
    digits = header.removeprefix("W/").strip('"')
    if not digits.isdigit():
        raise BusinessError("If-Match 应为版本号,例如 \"3\"")
    return int(digits)
