"""The pipeline over the API (/api/v1/pipeline): concepts and their screening, milestones, 统计入库, figures."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated

from annotated_types import MaxLen
from django.shortcuts import get_object_or_404
from ninja import Router, Schema
from pydantic import ConfigDict

from touzi.core.http import TouziRequest
from touzi.core.scoping import scope
from touzi.lib.apischema import Day, Key, Money, Text, Year, errors
from touzi.lib.errors import BusinessError
from touzi.pipeline.figures import funds_by_county, summary
from touzi.pipeline.models import Concept, Milestone
from touzi.pipeline.selectors import filtered_concepts, project_milestones, visible_concepts
from touzi.pipeline.services import propose_concept, record_registration, screen_concept, update_milestone
from touzi.plans.models import Domain
from touzi.projects.api import if_match
from touzi.projects.models import Project
from touzi.reports.selectors import default_year
from touzi.units.models import Unit

router = Router(tags=["pipeline"])


class ConceptOut(Schema):
    id: int
    code: str
    name: str
    domain: str
    county: str
    place: str
    scale: str
    estimated_investment: Decimal
    rationale: str
    proposer: str
    proposed_on: dt.date
    is_government: bool
    planned_start: dt.date | None
    status: str
    ratings: dict[str, int]
    maturity: Decimal | None
    screened_on: dt.date | None
    screening_note: str
    project: int | None
    version: int


class ConceptIn(Schema):
    model_config = ConfigDict(extra="forbid")

    name: Annotated[Text, MaxLen(200)]
    domain: Key
    county: Key
    estimated_investment: Money
    proposer: Key | None = None  # unit key; default: the caller's unit
    proposed_on: Day | None = None
    place: Annotated[Text, MaxLen(200)] = ""
    scale: Annotated[Text, MaxLen(2000)] = ""
    rationale: Annotated[Text, MaxLen(2000)] = ""
    is_government: bool = False
    planned_start: Day | None = None


class ScreenIn(Schema):
    model_config = ConfigDict(extra="forbid")

    outcome: Annotated[Text, MaxLen(16)]  # accepted / returned / watch
    ratings: dict[Annotated[Text, MaxLen(32)], int] = {}
    note: Annotated[Text, MaxLen(2000)] = ""
    owner: Key | None = None  # the reserve project's owner (unit key); default: the proposer


class MilestoneOut(Schema):
    id: int
    project: int
    key: str
    name: str
    before_start: bool
    planned_on: dt.date | None
    actual_on: dt.date | None
    responsible: str | None
    note: str
    version: int


class MilestoneIn(Schema):
    model_config = ConfigDict(extra="forbid")

    planned_on: Day | None = None
    actual_on: Day | None = None
    note: Annotated[Text, MaxLen(255)] | None = None


class RegistrationIn(Schema):
    model_config = ConfigDict(extra="forbid")

    registered_on: Day | None = None
    register_number: Annotated[Text, MaxLen(64)] = ""


class RegistrationOut(Schema):
    project: int
    status: str
    registered_on: dt.date | None
    register_number: str


class FundRowOut(Schema):
    county: str
    allocated: Decimal
    spent: Decimal
    projects: int
    target: Decimal | None
    met: bool | None


class PipelineSummaryOut(Schema):
    concepts: int
    accepted: int
    reserve_investment: Decimal
    ready_to_start: int


def _out(c: Concept) -> dict:
    return {"id": c.pk, "code": c.code, "name": c.name, "domain": c.domain.key, "county": c.county.key,
            "place": c.place, "scale": c.scale, "estimated_investment": c.estimated_investment,
            "rationale": c.rationale, "proposer": c.proposer.key, "proposed_on": c.proposed_on,
            "is_government": c.is_government, "planned_start": c.planned_start, "status": c.status,
            "ratings": c.ratings, "maturity": c.maturity, "screened_on": c.screened_on,
            "screening_note": c.screening_note, "project": c.project_id, "version": c.version}


def _milestone(m: Milestone) -> dict:
    return {"id": m.pk, "project": m.project_id, "key": m.key, "name": m.name, "before_start": m.before_start,
            "planned_on": m.planned_on, "actual_on": m.actual_on,
            "responsible": m.responsible.key if m.responsible is not None else None, "note": m.note, "version": m.version}


def _unit(key: str, field: str) -> Unit:
    unit = Unit.objects.filter(key=key).first()
    if unit is None:
        raise BusinessError(f"没有这个单位:{key}", field=field)
    return unit


@router.get("/concepts", response={200: list[ConceptOut], **errors(400, 422)}, summary="谋划项目(按权限范围)")
def list_concepts(request: TouziRequest, status: Annotated[Text, MaxLen(16)] = "", county: Key = "",
                  year: Year | None = None):
    found = filtered_concepts(visible_concepts(request.user), {"status": status, "county": county,
                                                               "year": year or ""})
    return [_out(c) for c in found.order_by("-proposed_on", "code")[:1000]]


@router.post("/concepts", response={201: ConceptOut, **errors(400, 403, 422)}, summary="提出谋划项目")
def post_concept(request: TouziRequest, body: ConceptIn):
    domain = Domain.objects.filter(key=body.domain).first()
    if domain is None:
        raise BusinessError(f"没有这个领域:{body.domain}", field="domain")
    proposer = _unit(body.proposer, "proposer") if body.proposer else request.user.unit
    if proposer is None:
        raise BusinessError("请填写提出单位", field="proposer")
    concept = propose_concept(name=body.name, domain=domain, county=_unit(body.county, "county"),
                              estimated_investment=body.estimated_investment, proposer=proposer,
                              proposed_on=body.proposed_on, place=body.place, scale=body.scale,
                              rationale=body.rationale, is_government=body.is_government,
                              planned_start=body.planned_start, actor=request.user)
    return 201, _out(concept)


@router.get("/concepts/{pk}", response={200: ConceptOut, **errors(404, 422)}, summary="谋划项目详情")
def get_concept(request: TouziRequest, pk: int):
    return _out(get_object_or_404(visible_concepts(request.user), pk=pk))


@router.post("/concepts/{pk}/screen", response={200: ConceptOut, **errors(400, 403, 404, 412, 422)},
             summary="筛选谋划项目:入库(同时生成储备项目)、退回、储备观察(项目办;If-Match 版本)")
def post_screen(request: TouziRequest, pk: int, body: ScreenIn):
    concept = get_object_or_404(visible_concepts(request.user), pk=pk)
    owner = _unit(body.owner, "owner") if body.owner else None
    done = screen_concept(concept, body.outcome, ratings=dict(body.ratings), note=body.note, owner=owner,
                          actor=request.user, expected_version=if_match(request))
    return _out(done)


@router.get("/projects/{pk}/milestones", response={200: list[MilestoneOut], **errors(404, 422)},
            summary="项目的前期工作节点")
def list_milestones(request: TouziRequest, pk: int):
    project = get_object_or_404(scope(request.user, Project.objects.all()), pk=pk)
    return [_milestone(m) for m in project_milestones(request.user, project)]


@router.patch("/milestones/{pk}", response={200: MilestoneOut, **errors(400, 403, 404, 412, 422)},
              summary="更新前期工作节点的计划、实际完成日期(If-Match 版本)")
def patch_milestone(request: TouziRequest, pk: int, body: MilestoneIn):
    milestone = get_object_or_404(scope(request.user, Milestone.objects.all()), pk=pk)
    changes = body.model_dump(exclude_unset=True)
    done = update_milestone(milestone, changes, actor=request.user, expected_version=if_match(request))
    return _milestone(done)


@router.post("/projects/{pk}/registration", response={200: RegistrationOut, **errors(400, 403, 404, 422)},
             summary="登记统计入库(统计局、项目办;无日期即未入库)")
def post_registration(request: TouziRequest, pk: int, body: RegistrationIn):
    project = get_object_or_404(scope(request.user, Project.objects.all()), pk=pk)
    row = record_registration(project, registered_on=body.registered_on, register_number=body.register_number,
                              actor=request.user)
    return {"project": project.pk, "status": row.status, "registered_on": row.registered_on,
            "register_number": row.register_number}


@router.get("/funds", response={200: list[FundRowOut], **errors(400, 422)},
            summary="前期工作经费按县区(万元),对照方案的县区目标")
def get_funds(request: TouziRequest, year: Year | None = None):
    return funds_by_county(request.user, year or default_year(), request.plan)


@router.get("/summary", response={200: PipelineSummaryOut, **errors(400, 422)},
            summary="谋划储备概况:谋划项目数、入库数、储备总投资(亿元)、具备开工条件的项目数")
def get_summary(request: TouziRequest, year: Year | None = None):
    return summary(request.user, year or default_year(), request.plan)
