"""/api/v1/approvals: approvals, their acts, the queues, figures, procedure checks and review sessions."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from annotated_types import MaxLen
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Router, Schema
from pydantic import ConfigDict, Field

from touzi.approvals import services
from touzi.approvals.choices import RUNNING, SessionKind
from touzi.approvals.compliance import violations
from touzi.approvals.minutes import minutes_docx
from touzi.approvals.models import Approval, ApprovalKind, ComplianceRule, ReviewSession
from touzi.approvals.selectors import (
    applicant_queue,
    as_of,
    figures,
    overdue,
    unit_queue,
    visible_approvals,
    visible_sessions,
)
from touzi.core.http import TouziRequest
from touzi.core.roles import Role
from touzi.core.scoping import scope_of
from touzi.lib.apischema import Day, Key, Period, RowId, Text, errors
from touzi.lib.errors import BusinessError
from touzi.lib.periods import month_of
from touzi.monitoring.sets import plan_projects
from touzi.plans.selectors import visible_plans
from touzi.projects.api import if_match
from touzi.projects.selectors import visible_projects
from touzi.units.models import Unit

router = Router(tags=["approvals"])


class ApprovalOut(Schema):
    id: int
    project: int
    project_code: str | None
    project_name: str
    kind: str
    kind_name: str
    approving_unit: str | None
    state: str
    submitted_on: dt.date | None
    accepted_on: dt.date | None
    legal_days: int
    promised_days: int | None
    due_on: dt.date | None
    done_on: dt.date | None
    working_days: int | None
    document_number: str
    missing_papers: str
    papers_due_on: dt.date | None
    papers_supplied_on: dt.date | None
    commitment: str
    commitment_due_on: dt.date | None
    commitment_verified_on: dt.date | None
    exempt: bool
    parallel: bool
    overdue: bool
    version: int


def _out(a: Approval) -> dict:
    today = timezone.localdate()
    return {"id": a.pk, "project": a.project_id, "project_code": a.project.code, "project_name": a.project.name,
            "kind": a.kind.key, "kind_name": a.kind.name,
            "approving_unit": a.approving_unit.key if a.approving_unit else None, "state": a.state,
            "submitted_on": a.submitted_on, "accepted_on": a.accepted_on, "legal_days": a.legal_days,
            "promised_days": a.promised_days, "due_on": a.due_on, "done_on": a.done_on,
            "working_days": a.working_days, "document_number": a.document_number,
            "missing_papers": a.missing_papers, "papers_due_on": a.papers_due_on,
            "papers_supplied_on": a.papers_supplied_on, "commitment": a.commitment,
            "commitment_due_on": a.commitment_due_on, "commitment_verified_on": a.commitment_verified_on,
            "exempt": a.exempt, "parallel": a.parallel,
            "overdue": bool(a.state in RUNNING and a.due_on and a.due_on < today), "version": a.version}


def _get(request: TouziRequest, pk: int) -> Approval:
    return get_object_or_404(visible_approvals(request.user), pk=pk)


def _unit(key: str, field: str) -> Unit:
    unit = Unit.objects.filter(key=key).first() if key else None
    if unit is None:
        raise BusinessError(f"没有这个单位:{key}", field=field)
    return unit


def _optional_unit(key: str | None, field: str) -> Unit | None:
    return _unit(key, field) if key else None


class DayIn(Schema):
    model_config = ConfigDict(extra="forbid")
    on: Day


class AcceptIn(Schema):
    model_config = ConfigDict(extra="forbid")
    on: Day
    promised_days: int | None = Field(None, ge=1, le=365)
    missing_papers: Text = ""
    papers_due_on: Day | None = None
    commitment: Text = ""
    commitment_due_on: Day | None = None


class DecideIn(Schema):
    model_config = ConfigDict(extra="forbid")
    on: Day
    document_number: Annotated[Text, MaxLen(64)]


class RefuseIn(Schema):
    model_config = ConfigDict(extra="forbid")
    on: Day
    reason: Text


class ReasonIn(Schema):
    model_config = ConfigDict(extra="forbid")
    reason: Text


class UnitIn(Schema):
    model_config = ConfigDict(extra="forbid")
    approving_unit: Key


class ProfileIn(Schema):
    model_config = ConfigDict(extra="forbid")
    route: Annotated[Text, MaxLen(16)] = ""
    eia: Annotated[Text, MaxLen(16)] = ""
    uses_sea: bool = False
    uses_forest: bool = False
    agent_unit: Key | None = None
    agent_person: Annotated[Text, MaxLen(64)] = ""
    agent_phone: Annotated[Text, MaxLen(32)] = ""


@router.get("", response={200: list[ApprovalOut], **errors(400, 422)}, summary="审批事项(按权限范围)")
def list_approvals(request: TouziRequest, state: Annotated[Text, MaxLen(16)] = "", project: RowId | None = None, kind: Annotated[Text, MaxLen(48)] = ""):
    approvals = visible_approvals(request.user)
    if state:
        approvals = approvals.filter(state=state)
    if project:
        approvals = approvals.filter(project_id=project)
    if kind:
        approvals = approvals.filter(kind__key=kind)
    return [_out(a) for a in approvals.order_by("project_id", "kind__order", "pk")[:5000]]


@router.get("/queue", response={200: dict[str, list[ApprovalOut]], **errors(422)}, summary="审批待办")
def get_queue(request: TouziRequest):
    """`unit`: what the user's approving unit has to accept or decide; `applicant`: what the owner or agent has
    to submit, resubmit or supply."""
    applicant = [] if scope_of(request.user).role == Role.APPROVER else applicant_queue(request.user)
    return {"unit": [_out(a) for a in unit_queue(request.user)], "applicant": [_out(a) for a in applicant]}


class OverdueOut(Schema):
    project: str | None
    kind: str
    unit: str
    due: dt.date
    days_overdue: int


@router.get("/overdue", response={200: list[OverdueOut], **errors(400, 422)}, summary="超过办理时限的审批事项(工作日)")
def get_overdue(request: TouziRequest, period: Period | None = None):
    """As of the end of `period` (default: today)."""
    on = as_of(month_of(period)) if period else timezone.localdate()
    return [{"project": o.project, "kind": o.kind, "unit": o.unit, "due": o.due, "days_overdue": o.days_overdue}
            for o in overdue(visible_approvals(request.user), on)]


class FigureOut(Schema):
    unit: str
    kind: str
    kind_name: str
    count: int
    median: int | None
    p90: int | None
    within: int
    within_share: str | None


@router.get("/figures", response={200: dict[str, list[FigureOut]], **errors(422)}, summary="审批时效(各部门、全市)")
def get_figures(request: TouziRequest):
    approvals = visible_approvals(request.user)

    def rows(items):
        return [{**f.__dict__, "within_share": str(f.within_share) if f.within_share is not None else None}
                for f in items]

    return {"units": rows(figures(approvals)), "city": rows(figures(approvals, by_unit=False))}


class ViolationOut(Schema):
    project: str | None
    project_id: int
    project_name: str
    rule: str
    detail: str


@router.get("/compliance", response={200: list[ViolationOut], **errors(400, 404, 422)},
            summary="基本建设程序检查")
def get_compliance(request: TouziRequest, plan: Key | None = None, period: Period | None = None):
    """The projects of `plan` (default: the user's plan) that skipped a procedure, as of the end of `period`
    (default: today)."""
    plans = visible_plans(request.user).order_by("-region_code", "key")
    found = get_object_or_404(plans, key=plan) if plan else plans.first()
    if found is None:
        raise Http404
    on = as_of(month_of(period)) if period else timezone.localdate()
    return [v.as_dict() for v in violations(plan_projects(request.user, found), on)]


class KindOut(Schema):
    key: str
    name: str
    group: str
    legal_days: int
    applies: str
    route: str
    eia: str
    flag: str
    needed_by: str


class RuleOut(Schema):
    key: str
    text: str
    conditions: list[str]
    requires_any: list[str]
    before: bool


@router.get("/kinds", response={200: list[KindOut], **errors()}, summary="审批事项清单(含法定时限)")
def list_kinds(request: TouziRequest):
    return list(ApprovalKind.objects.values(*KindOut.model_fields))


@router.get("/rules", response={200: list[RuleOut], **errors()}, summary="基本建设程序规则")
def list_rules(request: TouziRequest):
    return list(ComplianceRule.objects.filter(active=True).values(*RuleOut.model_fields))


@router.get("/{int:pk}", response={200: ApprovalOut, **errors(404, 422)}, summary="审批事项详情")
def get_approval(request: TouziRequest, pk: int):
    return _out(_get(request, pk))


@router.put("/{int:pk}/unit", response={200: ApprovalOut, **errors(400, 403, 404, 412, 422)}, summary="确定审批部门")
def put_unit(request: TouziRequest, pk: int, body: UnitIn):
    services.assign_unit(_get(request, pk), _unit(body.approving_unit, "approving_unit"), actor=request.user,
                         expected_version=if_match(request))
    return _out(_get(request, pk))


@router.post("/{int:pk}/submit", response={200: ApprovalOut, **errors(400, 403, 404, 412, 422)}, summary="申报")
def post_submit(request: TouziRequest, pk: int, body: DayIn):
    services.submit(_get(request, pk), body.on, actor=request.user, expected_version=if_match(request))
    return _out(_get(request, pk))


@router.post("/{int:pk}/accept", response={200: ApprovalOut, **errors(400, 403, 404, 412, 422)},
             summary="受理(填写容缺材料即容缺受理;填写承诺事项即承诺制)")
def post_accept(request: TouziRequest, pk: int, body: AcceptIn):
    services.accept(_get(request, pk), body.on, promised_days=body.promised_days, missing_papers=body.missing_papers,
                    papers_due_on=body.papers_due_on, commitment=body.commitment,
                    commitment_due_on=body.commitment_due_on, actor=request.user,
                    expected_version=if_match(request))
    return _out(_get(request, pk))


@router.post("/{int:pk}/papers", response={200: ApprovalOut, **errors(400, 403, 404, 412, 422)}, summary="容缺材料已补齐")
def post_papers(request: TouziRequest, pk: int, body: DayIn):
    services.supply_papers(_get(request, pk), body.on, actor=request.user, expected_version=if_match(request))
    return _out(_get(request, pk))


@router.post("/{int:pk}/decide", response={200: ApprovalOut, **errors(400, 403, 404, 412, 422)}, summary="办结")
def post_decide(request: TouziRequest, pk: int, body: DecideIn):
    services.decide(_get(request, pk), body.on, body.document_number, actor=request.user,
                    expected_version=if_match(request))
    return _out(_get(request, pk))


@router.post("/{int:pk}/refuse", response={200: ApprovalOut, **errors(400, 403, 404, 412, 422)}, summary="不予许可")
def post_refuse(request: TouziRequest, pk: int, body: RefuseIn):
    services.refuse(_get(request, pk), body.on, body.reason, actor=request.user,
                    expected_version=if_match(request))
    return _out(_get(request, pk))


@router.post("/{int:pk}/return", response={200: ApprovalOut, **errors(400, 403, 404, 412, 422)}, summary="退回补正")
def post_return(request: TouziRequest, pk: int, body: ReasonIn):
    services.send_back(_get(request, pk), body.reason, actor=request.user, expected_version=if_match(request))
    return _out(_get(request, pk))


@router.post("/{int:pk}/verify", response={200: ApprovalOut, **errors(400, 403, 404, 412, 422)}, summary="承诺已核查")
def post_verify(request: TouziRequest, pk: int, body: DayIn):
    services.verify_commitment(_get(request, pk), body.on, actor=request.user,
                               expected_version=if_match(request))
    return _out(_get(request, pk))


@router.post("/{int:pk}/exempt", response={200: ApprovalOut, **errors(400, 403, 404, 412, 422)},
             summary="批准免于办理(领导小组办公室)")
def post_exempt(request: TouziRequest, pk: int, body: ReasonIn):
    services.grant_exemption(_get(request, pk), body.reason, actor=request.user,
                             expected_version=if_match(request))
    return _out(_get(request, pk))


@router.post("/projects/{int:pk}/setup", response={201: list[ApprovalOut], **errors(400, 403, 404, 422)},
             summary="按项目类型和阶段生成审批事项")
def post_setup(request: TouziRequest, pk: int):
    project = get_object_or_404(visible_projects(request.user), pk=pk)
    created = services.set_up(project, actor=request.user)
    return 201, [_out(a) for a in visible_approvals(request.user).filter(pk__in=[a.pk for a in created])]


@router.put("/projects/{int:pk}/profile", response={200: ProfileIn, **errors(400, 403, 404, 422)},
            summary="项目审批设置和代办员")
def put_profile(request: TouziRequest, pk: int, body: ProfileIn):
    project = get_object_or_404(visible_projects(request.user), pk=pk)
    if body.route not in ("", "approval", "verification", "filing") or body.eia not in (
            "", "report", "table", "registration"):
        raise BusinessError("立项方式或环评类别无效")
    p = services.save_profile(project, route=body.route, eia=body.eia, uses_sea=body.uses_sea,
                              uses_forest=body.uses_forest, agent_unit=_optional_unit(body.agent_unit, "agent_unit"),
                              agent_person=body.agent_person, agent_phone=body.agent_phone, actor=request.user)
    return {"route": p.route, "eia": p.eia, "uses_sea": p.uses_sea, "uses_forest": p.uses_forest,
            "agent_unit": p.agent_unit.key if p.agent_unit else None, "agent_person": p.agent_person,
            "agent_phone": p.agent_phone}


# --- sessions ------------------------------------------------------------------------------------------

class SessionOut(Schema):
    id: int
    kind: str
    title: str
    held_on: dt.date
    convened_by: str
    units: list[str]
    approvals: list[int]
    decisions: str
    opinions: list[dict]
    follow_ups: list[dict]


class SessionIn(Schema):
    model_config = ConfigDict(extra="forbid")
    kind: Annotated[Text, MaxLen(16)] = SessionKind.JOINT.value
    title: Annotated[Text, MaxLen(128)]
    held_on: Day
    convened_by: Key
    units: list[Key] = []
    approvals: list[int]
    decisions: Text = ""


class OpinionIn(Schema):
    model_config = ConfigDict(extra="forbid")
    unit: Key
    opinion: Text
    project: RowId | None = None


class FollowUpIn(Schema):
    model_config = ConfigDict(extra="forbid")
    text: Text
    owner: Key
    due_on: Day


def _session_out(s: ReviewSession) -> dict:
    return {"id": s.pk, "kind": s.kind, "title": s.title, "held_on": s.held_on, "convened_by": s.convened_by.key,
            "units": sorted(s.units.values_list("key", flat=True)),
            "approvals": sorted(s.approvals.values_list("id", flat=True)), "decisions": s.decisions,
            "opinions": [{"unit": o.unit.key, "project": o.project_id, "opinion": o.opinion}
                         for o in s.opinions.select_related("unit")],
            "follow_ups": [{"id": f.pk, "text": f.text, "owner": f.owner.key, "due_on": f.due_on.isoformat(),
                            "done_on": f.done_on.isoformat() if f.done_on else None}
                           for f in s.follow_ups.select_related("owner")]}


def _session(request: TouziRequest, pk: int) -> ReviewSession:
    return get_object_or_404(visible_sessions(request.user), pk=pk)


@router.get("/sessions", response={200: list[SessionOut], **errors()}, summary="联评联审会议(按权限范围)")
def list_sessions(request: TouziRequest):
    return [_session_out(s) for s in visible_sessions(request.user)[:500]]


@router.post("/sessions", response={201: SessionOut, **errors(400, 403, 404, 422)}, summary="登记联评联审会议")
def post_session(request: TouziRequest, body: SessionIn):
    if body.kind not in SessionKind.values:
        raise BusinessError("会议方式应为 joint 或 parallel", field="kind")
    approvals = list(visible_approvals(request.user).filter(pk__in=body.approvals))
    if len(approvals) != len(set(body.approvals)):
        raise Http404  # an approval the caller cannot see is one that does not exist for it
    session = services.record_session(
        kind=body.kind, title=body.title, held_on=body.held_on, convened_by=_unit(body.convened_by, "convened_by"),
        units=[_unit(k, "units") for k in body.units], approvals=approvals, decisions=body.decisions,
        actor=request.user)
    return 201, _session_out(session)


@router.get("/sessions/{int:pk}", response={200: SessionOut, **errors(404, 422)}, summary="联评联审会议详情")
def get_session(request: TouziRequest, pk: int):
    return _session_out(_session(request, pk))


@router.post("/sessions/{int:pk}/opinions", response={201: SessionOut, **errors(400, 403, 404, 422)},
             summary="登记单位意见")
def post_opinion(request: TouziRequest, pk: int, body: OpinionIn):
    session = _session(request, pk)
    project = None
    if body.project:
        found = session.approvals.filter(project_id=body.project).select_related("project").first()
        if found is None:
            raise BusinessError("该项目不在本次会议审查范围内", field="project")
        project = found.project
    services.add_opinion(session, _unit(body.unit, "unit"), body.opinion, project=project, actor=request.user)
    return 201, _session_out(session)


@router.post("/sessions/{int:pk}/follow-ups", response={201: SessionOut, **errors(400, 403, 404, 422)},
             summary="添加会议跟进事项")
def post_follow_up(request: TouziRequest, pk: int, body: FollowUpIn):
    session = _session(request, pk)
    services.add_follow_up(session, body.text, _unit(body.owner, "owner"), body.due_on, actor=request.user)
    return 201, _session_out(session)


@router.get("/sessions/{int:pk}/minutes", response={200: None, **errors(404, 422)}, summary="会议纪要(.docx)")
def get_minutes(request: TouziRequest, pk: int):
    session = _session(request, pk)
    response = HttpResponse(minutes_docx(session), content_type="application/vnd.openxmlformats-officedocument."
                                                               "wordprocessingml.document")
    response["Content-Disposition"] = f'attachment; filename="session-{session.pk}.docx"'
    return response



