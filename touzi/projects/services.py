"""Project acts: register, edit, move stage, plan a year, roll the plan. Atomic, audited, scoped."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from touzi.accounts.choices import Role
from touzi.audit.choices import Event
from touzi.audit.services import diff, jsonable, record, snapshot
from touzi.core.actor import Actor, allowed, is_system, user_of
from touzi.core.scoping import Action, can, scope_of
from touzi.lib.bounds import day_problem, money_problem, order_problem, year_problem
from touzi.lib.errors import BusinessError, Conflict, Forbidden
from touzi.lib.regions import projects_in
from touzi.plans.models import Collection
from touzi.projects import registration
from touzi.projects.choices import (
    DECIDED,
    FINISHED,
    STAGE_MOVES,
    UNDER_CONSTRUCTION,
    ApprovalItem,
    FactorKind,
    FundingSource,
    Stage,
)
from touzi.projects.clarities import refresh_clarities
from touzi.projects.models import (
    AnnualPlan,
    FactorIssue,
    FundingLine,
    KeyApproval,
    Membership,
    Project,
    StageDecision,
)
from touzi.projects.readiness import not_ready
from touzi.units.models import Unit

FIELDS = [
    "code", "name", "domain", "county", "park", "owner", "lead_unit", "leader", "total_investment",
    "planned_start", "planned_completion", "is_government", "fiscal_contribution", "is_real_estate", "industry",
    "occupies_farmland", "farmland_plan", "description", "is_demo",
]
_OWNER_FIELDS = {"code", "name", "total_investment", "planned_start", "planned_completion", "industry",
                 "occupies_farmland", "farmland_plan", "description", "funding", "approvals"}
# What each role may set. Anything else sent by a caller is refused, never silently applied (mass assignment).
EDITABLE: dict[str, set[str]] = {
    Role.PLAN_OFFICE: {*FIELDS, "collections", "funding", "approvals"} - {"is_demo"},
    Role.COUNTY: {*FIELDS, "funding", "approvals"} - {"lead_unit", "leader", "is_demo"},
    Role.LEAD_UNIT: {*FIELDS, "funding", "approvals"} - {"county", "owner", "lead_unit", "is_demo"},
    Role.OWNER: _OWNER_FIELDS,
}
_SNAPSHOT = [f if f not in {"domain", "county", "park", "owner", "lead_unit"} else f"{f}_id" for f in FIELDS]


@dataclass
class ProjectInput:
    """What a form, the API or an import row says about a project. Unset (None) relations are left alone."""

    values: dict[str, Any]
    collections: list[tuple[Collection, int | None]] | None = None
    funding: dict[str, Decimal] | None = None
    approvals: dict[str, tuple[dt.date | None, dt.date | None]] | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def normalized_name(name: str) -> str:
    """For duplicate checks: width-folded, without spaces and brackets' style differences."""
    text = unicodedata.normalize("NFKC", name or "")
    return re.sub(r"\s+", "", text).lower()


def _role_of(user: Actor) -> str:
    return scope_of(user).role or ""


def _check_fields(user: Actor, names: set[str]) -> None:
    if is_system(user):  # system acts (demo, commands without --user) may set everything
        return
    editable = EDITABLE.get(_role_of(user), set())
    refused = sorted(names - editable)
    if refused:
        labels = "、".join(_label(n) for n in refused)
        raise Forbidden(_("您的角色无权修改:%(fields)s") % {"fields": labels})


def _label(name: str) -> str:
    try:
        field = Project._meta.get_field(name)
    except Exception:
        field = None
    if isinstance(field, models.Field):
        return str(field.verbose_name)
    return {"collections": "专项归属", "funding": "资金筹措方案", "approvals": "审批事项"}.get(name, name)


def _check_duplicate(project: Project) -> None:
    """不重不漏: one project must not be registered twice (under two codes or in two counties)."""
    key = normalized_name(project.name)
    # An owner has a handful of projects: comparing their folded names here is cheap and exact.
    others = Project.objects.filter(owner_id=project.owner_id).exclude(pk=project.pk).only("id", "name", "code")
    for other in others.iterator():
        if normalized_name(other.name) == key:
            raise BusinessError(_("同一业主已登记同名项目「%(name)s」(代码 %(code)s),疑似重复登记")
                                % {"name": other.name, "code": other.code or _("暂无")},
                                field="name")


def _validate(project: Project) -> None:
    try:
        project.full_clean(exclude=["collections"], validate_unique=False)
    except ValidationError as exc:
        field_name, messages = next(iter(exc.message_dict.items()))
        prefix = "" if field_name == "__all__" else f"{_label(field_name)}:"
        raise BusinessError(prefix + messages[0], field=field_name) from exc
    floor = Decimal(settings.LEDGER_MIN_INVESTMENT)
    if project.total_investment is not None and project.total_investment < floor:
        raise BusinessError(_("计划总投资 %(floor)s 万元及以上的项目才纳入投资统计台账") % {"floor": floor},
                            field="total_investment")
    _check_months(project.planned_start, project.planned_completion)
    if project.code and Project.objects.filter(code=project.code).exclude(pk=project.pk).exists():
        raise BusinessError(_("项目代码 %(code)s 已被其他项目使用") % {"code": project.code}, field="code")
    _check_duplicate(project)


def _check_months(start: dt.date | None, completion: dt.date | None) -> None:
    """Planned start and completion within the platform's years, completion not before start (form, API, import)."""
    for name, day in (("planned_start", start), ("planned_completion", completion)):
        problem = day_problem(day) if day else None
        if problem:
            raise BusinessError(f"{_label(name)}:{problem}", field=name)
    problem = order_problem(start, completion)
    if problem:
        raise BusinessError(problem, field="planned_completion")


def _relations_snapshot(project: Project) -> dict[str, Any]:
    return {
        "collections": sorted(f"{m.collection.key}{':' + str(m.year) if m.year else ''}"
                              for m in project.memberships.select_related("collection")),
        "funding": {f.source: str(f.amount.normalize()) for f in project.funding.all()},
        "approvals": {a.item: [jsonable(a.deadline), jsonable(a.done_on)] for a in project.approvals.all()},
    }


def _check_funding(funding: dict[str, Any]) -> None:
    """Funding lines fit their column (万元, 12 digits and 4 decimals) and name a known source.

    Without this a huge figure from an import or the API reached the database: SQLite stored it, PostgreSQL
    failed with a server error."""
    for source, amount in funding.items():
        if source not in FundingSource.values:
            raise BusinessError(_("没有这个资金来源:%(source)s") % {"source": str(source)[:50]}, field="funding")
        if amount is None:
            continue
        problem = money_problem(amount)
        if problem:
            raise BusinessError(_("资金来源金额%(problem)s(单位万元)") % {"problem": problem}, field="funding")


def _write_relations(project: Project, data: ProjectInput) -> None:
    if data.funding is not None:
        _check_funding(data.funding)
    if data.collections is not None:
        project.memberships.all().delete()
        Membership.objects.bulk_create(Membership(project=project, collection=c, year=y)
                                       for c, y in dict.fromkeys(data.collections))
    if data.funding is not None:
        project.funding.all().delete()
        FundingLine.objects.bulk_create(FundingLine(project=project, source=FundingSource(s), amount=a)
                                        for s, a in data.funding.items() if a)
    if data.approvals is not None:
        project.approvals.all().delete()
        KeyApproval.objects.bulk_create(KeyApproval(project=project, item=ApprovalItem(i), deadline=d, done_on=done)
                                        for i, (d, done) in data.approvals.items())


def _refresh_flags(project: Project) -> None:
    """The stored clarities of `project` rewritten from its rows, and read back into the instance."""
    refresh_clarities([project.pk])
    project.refresh_from_db(fields=["has_clear_funding", "has_clear_approvals"])


def _given(data: ProjectInput) -> set[str]:
    names = set(data.values)
    for rel in ("collections", "funding", "approvals"):
        if getattr(data, rel) is not None:
            names.add(rel)
    return names


@transaction.atomic
def create_project(data: ProjectInput, *, actor: Actor) -> Project:
    _check_fields(actor, _given(data))
    unknown = set(data.values) - set(FIELDS)
    if unknown:
        raise BusinessError(_("未知字段:%(fields)s") % {"fields": ", ".join(sorted(unknown))})
    project = Project(**data.values)
    # Registering a project that is already under way: its current stage is a fact, not a move.
    if data.extra.get("stage"):
        if data.extra["stage"] not in Stage.values:
            raise BusinessError(_("没有这个项目阶段:%(stage)s") % {"stage": str(data.extra["stage"])[:50]},
                                field="stage")
        project.stage = Stage(data.extra["stage"])
    if project.stage in UNDER_CONSTRUCTION and not project.actual_start:
        project.actual_start = project.planned_start
    _validate(project)
    project.save()
    _write_relations(project, data)
    _refresh_flags(project)
    if not allowed(actor, lambda user: can(user, project, Action.CHANGE)):
        raise Forbidden(_("您只能登记本单位、本县区或本人负责的项目"))
    registration.run(project, data.extra, actor)  # checks of the apps above (楼堂馆所)
    record(Event.CREATE, actor=actor, obj=project, subject=project.subject,
           after={**snapshot(project, _SNAPSHOT), **_relations_snapshot(project)})
    return project


@transaction.atomic
def update_project(project: Project, data: ProjectInput, *, actor: Actor,
                   expected_version: int | None = None) -> Project:
    if not allowed(actor, lambda user: can(user, project, Action.CHANGE)):
        raise Forbidden(_("无权修改该项目"))
    locked = Project.objects.select_for_update().get(pk=project.pk)
    if expected_version is not None and locked.version != expected_version:
        raise Conflict()
    before = {**snapshot(locked, _SNAPSHOT), **_relations_snapshot(locked)}
    unknown = set(data.values) - set(FIELDS)
    if unknown:
        raise BusinessError(_("未知字段:%(fields)s") % {"fields": ", ".join(sorted(unknown))})
    for name, value in data.values.items():
        setattr(locked, name, value)
    _validate(locked)
    # Only what really changes needs the right to change it: a form re-sends every field.
    probe = {**snapshot(locked, _SNAPSHOT)}
    changed = {n.removesuffix("_id") for n, v in probe.items() if before.get(n) != v}
    _write_relations(locked, data)
    after = {**snapshot(locked, _SNAPSHOT), **_relations_snapshot(locked)}
    changed |= {rel for rel in ("collections", "funding", "approvals") if before[rel] != after[rel]}
    _check_fields(actor, changed)
    if not changed:
        return locked
    locked.version = F("version") + 1
    locked.save()
    refresh_clarities([locked.pk])  # after the save: the total investment and the funding lines may have changed
    locked.refresh_from_db()
    if not allowed(actor, lambda user: can(user, locked, Action.CHANGE)):
        raise Forbidden(_("修改后的项目将超出您的管理范围"))
    old, new = diff(before, after)
    record(Event.UPDATE, actor=actor, obj=locked, subject=locked.subject, before=old, after=new)
    return locked


@transaction.atomic
def move_stage(project: Project, to: str, *, actor: Actor, on_date: dt.date | None = None,
               reason: str = "", document: str = "", new_total: Decimal | None = None) -> Project:
    """Move a project to its next stage, only along the allowed moves; starting and finishing set the dates.

    停缓建 and 压缩规模 are decisions: they need the reason and the decision's document, and 压缩规模 the new
    total investment (below the present one), which replaces the project's total in every figure."""
    if not allowed(actor, lambda user: can(user, project, Action.CHANGE)):
        raise Forbidden(_("无权变更该项目的阶段"))
    if to not in Stage.values:
        raise BusinessError(_("没有这个项目阶段:%(stage)s") % {"stage": str(to)[:50]}, field="stage")
    locked = Project.objects.select_for_update().get(pk=project.pk)
    target = Stage(to)
    if target not in STAGE_MOVES[locked.stage]:
        raise BusinessError(_("项目阶段不能从「%(from)s」变为「%(to)s」")
                            % {"from": Stage(locked.stage).label, "to": target.label})
    before = snapshot(locked, ["stage", "actual_start", "actual_completion"])
    day = on_date or dt.date.today()
    problem = day_problem(day)
    if problem:
        raise BusinessError(problem, field="on_date")
    if target == Stage.NEW_START and not locked.actual_start:
        locked.actual_start = day
    if target == Stage.COMPLETED and not locked.actual_completion:
        locked.actual_completion = day
    if target == Stage.NEW_START and locked.stage in (Stage.RESERVE, Stage.PRELIMINARY) and not locked.code:
        raise BusinessError(_("项目开工前须取得项目代码"))
    decision = _decision(locked, target, day, reason, document, new_total)
    if target == Stage.CONTINUING and not locked.actual_start:
        locked.actual_start = day
    locked.stage = target
    locked.version = F("version") + 1
    locked.save()
    if decision is not None:  # 压缩规模 changes the total investment the funding lines must cover
        refresh_clarities([locked.pk])
    locked.refresh_from_db()
    if decision is not None:
        decision.save()
        before["total_investment"] = str(decision.previous_total)
    after = snapshot(locked, ["stage", "actual_start", "actual_completion"])
    if decision is not None:
        after |= {"total_investment": str(locked.total_investment), "document": document}
    record(Event.UPDATE, actor=actor, obj=locked, subject=locked.subject, before=before, after=after,
           message=reason)
    return locked


def _decision(project: Project, target: Stage, day: dt.date, reason: str, document: str,
              new_total: Decimal | None) -> StageDecision | None:
    """The StageDecision a move to 停缓建 or 压缩规模 needs (checked, not saved); None for other moves."""
    if target not in DECIDED:
        return None
    if not reason.strip():
        raise BusinessError(_("请填写%(stage)s的理由") % {"stage": target.label}, field="reason")
    if not document.strip():
        raise BusinessError(_("请填写%(stage)s的决定文件(文号)") % {"stage": target.label}, field="document")
    previous = project.total_investment
    if target == Stage.SCALED_DOWN:
        if new_total is None:
            raise BusinessError(_("压缩规模须填写压缩后的总投资"), field="new_total")
        problem = money_problem(Decimal(new_total))
        if problem:
            raise BusinessError(problem, field="new_total")
        if not Decimal(0) < Decimal(new_total) < previous:
            raise BusinessError(_("压缩后的总投资须大于0且小于现总投资 %(total)s 万元") % {"total": previous},
                                field="new_total")
        project.total_investment = Decimal(new_total)
    return StageDecision(project=project, stage=target, decided_on=day, reason=reason.strip()[:2000],
                         document=document.strip()[:255], previous_total=previous,
                         new_total=project.total_investment if target == Stage.SCALED_DOWN else None)


_PLAN_FIELDS = ["planned_investment", "planned_start", "planned_completion", "progress_target", "category"]
# The categories of an annual plan, as the form offers them and roll_plan writes them.
PLAN_CATEGORIES = ("", Stage.NEW_START, Stage.CONTINUING, Stage.PRELIMINARY)


@transaction.atomic
def set_annual_plan(project: Project, year: int, values: dict[str, Any], *, actor: Actor,
                    expected_version: int | None = None) -> AnnualPlan:
    if not allowed(actor, lambda user: can(user, project, Action.CHANGE)):
        raise Forbidden(_("无权修改该项目的年度计划"))
    unknown = set(values) - set(_PLAN_FIELDS)
    if unknown:
        raise BusinessError(_("未知字段:%(fields)s") % {"fields": ", ".join(sorted(unknown))})
    problem = year_problem(year)
    if problem:
        raise BusinessError(problem, field="year")
    plan, created = AnnualPlan.objects.select_for_update().get_or_create(project=project, year=year)
    if not created and expected_version is not None and plan.version != expected_version:
        raise Conflict()
    before = {} if created else snapshot(plan, _PLAN_FIELDS)
    for name, value in values.items():
        setattr(plan, name, value)
    problem = money_problem(plan.planned_investment) if plan.planned_investment is not None else None
    if problem:
        raise BusinessError(_("年度计划投资%(problem)s") % {"problem": problem}, field="planned_investment")
    _check_months(plan.planned_start, plan.planned_completion)
    if plan.category not in PLAN_CATEGORIES:
        raise BusinessError(_("没有这个计划类别:%(category)s") % {"category": str(plan.category)[:50]}, field="category")
    if not created:
        plan.version = F("version") + 1
    plan.save()
    plan.refresh_from_db()
    old, new = diff(before, snapshot(plan, _PLAN_FIELDS))
    if created or new:
        record(Event.CREATE if created else Event.UPDATE, actor=actor, obj=plan, subject=project.subject,
               before=old or None, after=new)
    return plan


@dataclass
class RollSummary:
    year: int
    continuing: int = 0
    new_starts: int = 0
    unchanged: int = 0
    held_back: int = 0  # planned to start but not ready (their preliminary milestones do not allow it)


@transaction.atomic
def roll_plan(year: int, *, actor: Actor, plan: Any = None) -> RollSummary:
    """Roll the plan into `year`, as the rolling three-year plan does.

    Unfinished projects under construction continue (续建, and a last year's new start becomes 续建);
    reserve and preliminary projects whose planned start falls in `year` become the year's new starts,
    unless their preliminary milestones do not allow it (touzi/projects/readiness.py: they are held back);
    last year's yearly collection lists (the major-project list) carry over to the rolled projects.
    With a `plan`, only the projects of its region and its own collections roll (a city's roll leaves the
    other cities alone; a project in a city and its province has one annual plan, which either roll makes).
    Running it twice changes nothing.
    """
    summary = RollSummary(year=year)
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    region = projects_in(plan.region_code) if plan is not None else Q()
    has_plan = AnnualPlan.objects.filter(year=year).values("project_id")
    continuing = (Project.objects.filter(region, stage__in=UNDER_CONSTRUCTION)
                  .filter(Q(actual_start__lt=first) | Q(actual_start__isnull=True)))
    starting = (Project.objects.filter(region, stage__in=[Stage.RESERVE, Stage.PRELIMINARY])
                .filter(Q(planned_start__range=(first, last))
                        | Q(annual_plans__year=year, annual_plans__planned_start__range=(first, last)))
                .distinct())
    held = not_ready(year)  # milestones that keep a project from starting (registered by touzi.pipeline)
    if held is not None:
        summary.held_back = starting.filter(held).count()
        starting = starting.exclude(held)
    summary.unchanged = (continuing.filter(id__in=has_plan).count())
    for project in continuing.exclude(id__in=has_plan).select_related(None):
        AnnualPlan.objects.create(project=project, year=year, category=Stage.CONTINUING,
                                  planned_completion=project.planned_completion)
        before = snapshot(project, ["stage"])
        if project.stage == Stage.NEW_START:
            Project.objects.filter(pk=project.pk).update(stage=Stage.CONTINUING, version=F("version") + 1)
        record(Event.CREATE, actor=actor, object_type="projects.annualplan", object_id=f"{project.pk}:{year}",
               object_repr=f"{project} {year}", subject=project.subject, before=before,
               after={"year": year, "category": Stage.CONTINUING, "stage": Stage.CONTINUING}, message="滚动续建")
        summary.continuing += 1
    for project in starting:
        annual, created = AnnualPlan.objects.get_or_create(
            project=project, year=year,
            defaults={"category": Stage.NEW_START, "planned_start": project.planned_start,
                      "planned_completion": project.planned_completion})
        if not created and annual.category == Stage.NEW_START:
            summary.unchanged += 1
            continue
        if not created:
            annual.category = Stage.NEW_START
            annual.save(update_fields=["category"])
        record(Event.CREATE if created else Event.UPDATE, actor=actor, obj=annual, subject=project.subject,
               after={"year": year, "category": Stage.NEW_START}, message="滚动新开工")
        summary.new_starts += 1
    rolled = AnnualPlan.objects.filter(year=year, project__in=Project.objects.filter(region)).values("project_id")
    lists = Membership.objects.filter(year=year - 1, project_id__in=rolled).exclude(project__stage__in=FINISHED)
    if plan is not None:
        lists = lists.filter(collection__in=plan.collections.all())
    carried = [Membership(project_id=m.project_id, collection_id=m.collection_id, year=year) for m in lists]
    before_count = Membership.objects.filter(year=year).count()
    Membership.objects.bulk_create(carried, ignore_conflicts=True)
    if summary.continuing or summary.new_starts or Membership.objects.filter(year=year).count() != before_count:
        record(Event.UPDATE, actor=actor, object_type="projects.plan_roll",
               object_id=f"{plan.key}:{year}" if plan is not None else str(year),
               object_repr=f"{plan.name if plan is not None else ''}{year}年滚动计划",
               after={"continuing": summary.continuing, "new_starts": summary.new_starts})
    return summary


@transaction.atomic
def raise_factor_issue(project: Project, kind: str, description: str, *, owed_by: Unit, due: dt.date | None,
                       actor: Actor) -> FactorIssue:
    """Report what blocks a project: whoever keeps the project may raise it."""
    if not allowed(actor, lambda user: can(user, project, Action.CHANGE)):
        raise Forbidden(_("无权为该项目反映要素保障问题"))
    if not (description or "").strip():
        raise BusinessError(_("请描述问题"), field="description")
    issue = FactorIssue.objects.create(project=project, kind=FactorKind(kind), description=description.strip(),
                                       owed_by=owed_by, due=due,
                                       raised_by=user_of(actor))
    record(Event.CREATE, actor=actor, obj=issue, subject=project.subject,
           after={"kind": issue.kind, "description": issue.description, "owed_by": owed_by.key,
                  "due": due})
    return issue


@transaction.atomic
def resolve_factor_issue(issue: FactorIssue, resolution: str, *, actor: Actor) -> FactorIssue:
    """Close an issue: the unit that owes the fix, or the plan office."""
    if not allowed(actor, lambda user: scope_of(user).is_office or issue.owed_by_id in scope_of(user).unit_ids):
        raise Forbidden(_("只有责任单位或领导小组办公室可以销号"))
    if issue.resolved_at is not None:
        raise BusinessError(_("该问题已解决"))
    if not (resolution or "").strip():
        raise BusinessError(_("请填写解决情况"), field="resolution")
    issue.resolved_at, issue.resolution = timezone.now(), resolution.strip()
    issue.save(update_fields=["resolved_at", "resolution"])
    record(Event.UPDATE, actor=actor, obj=issue, subject=f"project:{issue.project_id}",
           before={"resolved_at": None}, after={"resolved_at": issue.resolved_at, "resolution": issue.resolution})
    return issue
