from __future__ import annotations

from decimal import Decimal

from django.shortcuts import get_object_or_404
from ninja import Router, Schema

from touzi.core.http import TouziRequest
from touzi.core.scoping import scope
from touzi.lib.apischema import Key, errors
from touzi.lib.numbers import plain
from touzi.plans.models import Collection, Domain, Plan, Target, Task
from touzi.plans.selectors import targets_for, tasks_for, visible_plans, work_groups_for

router = Router(tags=["plans"])


class PlanOut(Schema):
    key: str
    name: str
    name_en: str
    region_code: str
    region_name: str
    start_year: int
    end_year: int
    issuer: str
    combine_jan_feb: bool


class ScopeOut(Schema):
    kind: str
    key: str | None


class TargetOut(Schema):
    key: str
    area: str
    name: str
    name_en: str
    task: str | None
    scope: ScopeOut
    metric: str
    period: str
    comparator: str
    value: Decimal
    unit: str
    measure: dict
    quote: str
    lead_units: list[str]
    cooperating_units: list[str]


class PlanTaskOut(Schema):
    key: str
    number: str
    title: str
    title_en: str
    quote: str
    lead_units: list[str]
    cooperating_units: list[str]


class WorkGroupOut(Schema):
    key: str
    kind: str
    name: str
    name_en: str
    host_units: list[str]
    domains: list[str]


class DomainOut(Schema):
    key: str
    name: str
    name_en: str
    parent: str | None


class CollectionOut(Schema):
    key: str
    name: str
    name_en: str


def _holders(obj: Target | Task, duty: str) -> list[str]:
    return [d.holder_key for d in obj.duties.all() if d.duty == duty]


def target_out(target: Target) -> dict:
    """The API's and `touzi plan show`'s shape of a target."""
    scope_key = None
    if target.scope_domain is not None:
        scope_key = target.scope_domain.key
    elif target.scope_collection is not None:
        scope_key = target.scope_collection.key
    elif target.scope_unit is not None:
        scope_key = target.scope_unit.key
    elif target.scope_group is not None:
        scope_key = f"@{target.scope_group.key}"
    return {
        "key": target.key, "area": target.area, "name": target.name, "name_en": target.name_en,
        "task": target.task.key if target.task is not None else None,
        "scope": {"kind": target.scope_kind, "key": scope_key}, "metric": target.metric,
        "period": target.period, "comparator": target.comparator, "value": plain(target.value),
        "unit": target.unit_of_measure, "measure": target.measure, "quote": target.quote,
        "lead_units": _holders(target, "lead"), "cooperating_units": _holders(target, "cooperate"),
    }


def task_out(task: Task) -> dict:
    return {"key": task.key, "number": task.number, "title": task.title, "title_en": task.title_en,
            "quote": task.quote, "lead_units": _holders(task, "lead"),
            "cooperating_units": _holders(task, "cooperate")}


def _plan(request: TouziRequest, key: str) -> Plan:
    return get_object_or_404(visible_plans(request.user), key=key)


@router.get("/plans", response={200: list[PlanOut], **errors()}, summary="行动方案列表")
def list_plans(request: TouziRequest):
    return visible_plans(request.user)


@router.get("/plans/{key}", response={200: PlanOut, **errors(400, 404, 422)}, summary="行动方案")
def get_plan(request: TouziRequest, key: Key):
    return _plan(request, key)


@router.get("/plans/{key}/targets", response={200: list[TargetOut], **errors(400, 404, 422)}, summary="目标(按权限范围)")
def list_targets(request: TouziRequest, key: Key, area: Key | None = None):
    targets = targets_for(request.user, _plan(request, key))
    if area:
        targets = targets.filter(area=area)
    return [target_out(t) for t in targets]


@router.get("/plans/{key}/tasks", response={200: list[PlanTaskOut], **errors(400, 404, 422)}, summary="任务与责任分工")
def list_tasks(request: TouziRequest, key: Key):
    return [task_out(t) for t in tasks_for(request.user, _plan(request, key))]


@router.get("/plans/{key}/groups", response={200: list[WorkGroupOut], **errors(400, 404, 422)},
            summary="领导小组办公室与专项工作组")
def list_groups(request: TouziRequest, key: Key):
    return [
        {"key": g.key, "kind": g.kind, "name": g.name, "name_en": g.name_en,
         "host_units": [u.key for u in g.host_units.all()], "domains": [d.key for d in g.domains.all()]}
        for g in work_groups_for(request.user, _plan(request, key))
    ]


@router.get("/domains", response={200: list[DomainOut], **errors()}, summary="领域")
def list_domains(request: TouziRequest):
    domains = scope(request.user, Domain.objects.select_related("parent"))
    return [{"key": d.key, "name": d.name, "name_en": d.name_en, "parent": d.parent.key if d.parent else None}
            for d in domains]


@router.get("/collections", response={200: list[CollectionOut], **errors()}, summary="专项")
def list_collections(request: TouziRequest):
    return scope(request.user, Collection.objects.all())
