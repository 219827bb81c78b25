from __future__ import annotations

import datetime as dt
from typing import Annotated

from annotated_types import MaxLen
from django.shortcuts import get_object_or_404
from ninja import Router, Schema
from pydantic import ConfigDict

from touzi.core.http import TouziRequest
from touzi.lib.apischema import Day, Key, Text, errors
from touzi.lib.errors import BusinessError
from touzi.plans.selectors import visible_plans
from touzi.projects.api import if_match
from touzi.projects.selectors import visible_projects
from touzi.supervision.models import SupervisionTask
from touzi.supervision.selectors import visible_tasks
from touzi.supervision.services import answer, close, raise_task, send_back, start
from touzi.units.models import Unit

router = Router(tags=["supervision"])


class TaskOut(Schema):
    id: int
    plan: str
    project: int | None
    warning_key: str
    problem: str
    required_action: str
    responsible_unit: str
    co_responsible_unit: str | None
    deadline: dt.date
    status: str
    overdue: bool
    rectification: str
    return_reason: str
    version: int


class TaskIn(Schema):
    model_config = ConfigDict(extra="forbid")

    plan: Key
    problem: Text
    required_action: Text
    responsible_unit: Key
    co_responsible_unit: Key | None = None
    deadline: Day
    project: int | None = None
    warning_key: Annotated[Text, MaxLen(96)] = ""


class AnswerIn(Schema):
    model_config = ConfigDict(extra="forbid")

    rectification: Text


class ReasonIn(Schema):
    reason: Text


def _out(t: SupervisionTask) -> dict:
    return {"id": t.pk, "plan": t.plan.key, "project": t.project_id, "warning_key": t.warning_key,
            "problem": t.problem, "required_action": t.required_action, "responsible_unit": t.responsible_unit.key,
            "co_responsible_unit": t.co_responsible_unit.key if t.co_responsible_unit else None, "deadline": t.deadline, "status": t.status, "overdue": t.is_overdue, "rectification": t.rectification,
            "return_reason": t.return_reason, "version": t.version}


def _get(request: TouziRequest, pk: int) -> SupervisionTask:
    return get_object_or_404(visible_tasks(request.user).select_related("plan", "co_responsible_unit"), pk=pk)


@router.get("", response={200: list[TaskOut], **errors(400, 422)}, summary="督办任务(按权限范围)")
def list_tasks(request: TouziRequest, status: Annotated[Text, MaxLen(16)] = ""):
    tasks = visible_tasks(request.user).select_related("plan", "co_responsible_unit")
    return [_out(t) for t in (tasks.filter(status=status) if status else tasks)]


@router.get("/{pk}", response={200: TaskOut, **errors(404, 422)}, summary="督办任务详情")
def get_task(request: TouziRequest, pk: int):
    return _out(_get(request, pk))


@router.post("", response={201: TaskOut, **errors(400, 403, 404, 409, 422)}, summary="下发督办任务(领导小组办公室)")
def post_task(request: TouziRequest, body: TaskIn):
    plan = get_object_or_404(visible_plans(request.user), key=body.plan)
    unit = Unit.objects.filter(key=body.responsible_unit).first()
    if unit is None:
        raise BusinessError(f"没有这个单位:{body.responsible_unit}", field="responsible_unit")
    co_unit = Unit.objects.filter(key=body.co_responsible_unit).first() if body.co_responsible_unit else None
    if body.co_responsible_unit and co_unit is None:
        raise BusinessError(f"没有这个单位:{body.co_responsible_unit}", field="co_responsible_unit")
    project = get_object_or_404(visible_projects(request.user), pk=body.project) if body.project else None
    task = raise_task(plan, problem=body.problem, required_action=body.required_action, responsible_unit=unit,
                      deadline=body.deadline, project=project, warning_key=body.warning_key,
                      co_responsible_unit=co_unit, actor=request.user)
    return 201, _out(_get(request, task.pk))


@router.post("/{pk}/start", response={200: TaskOut, **errors(400, 403, 404, 412, 422)}, summary="开始整改(责任单位)")
def post_start(request: TouziRequest, pk: int):
    start(_get(request, pk), actor=request.user, expected_version=if_match(request))
    return _out(_get(request, pk))


@router.post("/{pk}/answer", response={200: TaskOut, **errors(400, 403, 404, 412, 422)}, summary="报送整改情况(责任单位)")
def post_answer(request: TouziRequest, pk: int, body: AnswerIn):
    answer(_get(request, pk), body.rectification, actor=request.user, expected_version=if_match(request))
    return _out(_get(request, pk))


@router.post("/{pk}/close", response={200: TaskOut, **errors(400, 403, 404, 412, 422)}, summary="核销(领导小组办公室)")
def post_close(request: TouziRequest, pk: int):
    close(_get(request, pk), actor=request.user, expected_version=if_match(request))
    return _out(_get(request, pk))


@router.post("/{pk}/return", response={200: TaskOut, **errors(400, 403, 404, 412, 422)}, summary="退回(领导小组办公室)")
def post_return(request: TouziRequest, pk: int, body: ReasonIn):
    send_back(_get(request, pk), body.reason, actor=request.user, expected_version=if_match(request))
    return _out(_get(request, pk))
