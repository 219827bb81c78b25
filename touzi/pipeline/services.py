"""Pipeline acts: propose a concept, screen it (入库 → a reserve project in one step), plan and record the
前期工作 milestones, allocate and spend 前期经费, record a project's 统计入库.

Each act is atomic, checks the acting user's rights through the scoping function and writes its audit record
in the same transaction. The actor is a User or the platform (`System(reason)`, which skips the checks).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from touzi.audit.choices import Event
from touzi.audit.services import diff, record, snapshot
from touzi.core.actor import Actor, allowed, is_system, user_of
from touzi.core.scoping import Action, can, scope_of
from touzi.lib.bounds import day_problem, money_problem
from touzi.lib.errors import BusinessError, Conflict, Forbidden
from touzi.lib.periods import add_months
from touzi.pipeline.choices import OUTCOMES, SCREENABLE, ConceptStatus, RegisterStatus
from touzi.pipeline.models import Concept, Milestone, PreliminaryFund, Registration
from touzi.pipeline.rules import LEVELS, maturity_score, project_type, rules
from touzi.plans.models import Domain
from touzi.projects.choices import Stage
from touzi.projects.models import Project
from touzi.projects.services import ProjectInput, create_project
from touzi.units.choices import UnitKind
from touzi.units.models import Unit

_CONCEPT_FIELDS = ["name", "domain_id", "county_id", "place", "scale", "estimated_investment", "rationale",
                   "proposer_id", "proposed_on", "is_government", "planned_start"]
_SCREEN_FIELDS = ["status", "ratings", "maturity", "screened_on", "screening_note", "project_id"]
_MILESTONE_FIELDS = ["planned_on", "actual_on", "responsible_id", "note"]


def _money(value: Any, field: str) -> Decimal:
    if value is None or value == "":
        raise BusinessError(_("请填写金额"), field=field)
    amount = Decimal(value)
    problem = money_problem(amount)
    if problem:
        raise BusinessError(problem, field=field)
    if amount < 0:
        raise BusinessError(_("金额不能为负"), field=field)
    return amount


def _day(value: dt.date | None, field: str) -> dt.date | None:
    problem = day_problem(value) if value else None
    if problem:
        raise BusinessError(problem, field=field)
    return value


def _next_code(county: Unit, year: int) -> str:
    prefix = f"MH{year}-{county.division_code or county.key}-"
    taken = Concept.objects.filter(code__startswith=prefix).count()
    return f"{prefix}{taken + 1:04d}"


@transaction.atomic
def propose_concept(*, name: str, domain: Domain, county: Unit, estimated_investment: Any, proposer: Unit,
                    proposed_on: dt.date | None = None, place: str = "", scale: str = "", rationale: str = "",
                    is_government: bool = False, planned_start: dt.date | None = None, is_demo: bool = False,
                    actor: Actor) -> Concept:
    """谋划: a county proposes for its area, a bureau for its field, the office for any county of its region."""
    from touzi.pipeline.scoping import may_propose

    if county.kind != UnitKind.COUNTY:
        raise BusinessError(_("「%(unit)s」不是县区") % {"unit": county}, field="county")
    if not allowed(actor, lambda user: may_propose(scope_of(user), county, proposer)):
        raise Forbidden(_("您不能为该县区或单位提出谋划项目"))
    if not (name or "").strip():
        raise BusinessError(_("请填写项目名称"), field="name")
    amount = _money(estimated_investment, "estimated_investment")
    if amount <= 0:
        raise BusinessError(_("估算总投资应大于0"), field="estimated_investment")
    proposed_on = proposed_on or timezone.localdate()
    if proposed_on > timezone.localdate():
        raise BusinessError(_("提出日期不能晚于今天"), field="proposed_on")
    _day(proposed_on, "proposed_on")
    _day(planned_start, "planned_start")
    concept = Concept.objects.create(
        code=_next_code(county, proposed_on.year), name=name.strip(), domain=domain, county=county,
        place=(place or "").strip(), scale=(scale or "").strip(), estimated_investment=amount,
        rationale=(rationale or "").strip(), proposer=proposer, proposed_on=proposed_on,
        is_government=is_government, planned_start=planned_start.replace(day=1) if planned_start else None,
        proposed_by=user_of(actor), is_demo=is_demo)
    record(Event.CREATE, actor=actor, obj=concept, subject=concept.subject,
           after=snapshot(concept, ["code", *_CONCEPT_FIELDS]))
    return concept


def _check_ratings(ratings: dict[str, Any]) -> dict[str, int]:
    known = {c.key for c in rules().criteria}
    out: dict[str, int] = {}
    for key, level in (ratings or {}).items():
        if key not in known:
            raise BusinessError(_("没有这个成熟度指标:%(key)s") % {"key": str(key)[:40]}, field="ratings")
        try:
            value = int(level)
        except (TypeError, ValueError):
            value = -1
        if value not in LEVELS:
            raise BusinessError(_("成熟度评分应为 0(未开展)、1(部分完成)或 2(已完成)"), field="ratings")
        out[key] = value
    return out


@transaction.atomic
def screen_concept(concept: Concept, outcome: str, *, ratings: dict[str, Any], note: str = "",
                   owner: Unit | None = None, on: dt.date | None = None, actor: Actor,
                   expected_version: int | None = None) -> Concept:
    """筛选: the office rates the concept's maturity and decides 入库 / 退回 / 储备观察.

    入库 makes the reserve project in the same act (owner: the one named, else the proposer), with its
    前期工作 milestones laid out from the project type's list.
    """
    if not allowed(actor, lambda user: scope_of(user).is_office and can(user, concept, Action.CHANGE)):
        raise Forbidden(_("只有项目办可以筛选谋划项目"))
    if outcome not in OUTCOMES:
        raise BusinessError(_("筛选结果应为入库、退回或储备观察"), field="status")
    locked = Concept.objects.select_for_update().get(pk=concept.pk)
    if expected_version is not None and locked.version != expected_version:
        raise Conflict()
    if locked.status not in SCREENABLE:
        raise BusinessError(_("该谋划项目已筛选为「%(status)s」") % {"status": ConceptStatus(locked.status).label})
    checked = _check_ratings(ratings)
    if outcome == ConceptStatus.RETURNED and not (note or "").strip():
        raise BusinessError(_("退回须说明理由"), field="screening_note")
    before = snapshot(locked, _SCREEN_FIELDS)
    locked.ratings = checked
    locked.maturity = maturity_score(checked)
    locked.status = outcome
    locked.screened_on = on or timezone.localdate()
    locked.screening_note = (note or "").strip()
    locked.screened_by = user_of(actor)
    if outcome == ConceptStatus.ACCEPTED:
        locked.project = _reserve_project(locked, owner or locked.proposer, actor)
    locked.version = F("version") + 1
    locked.save()
    locked.refresh_from_db()
    old, new = diff(before, snapshot(locked, _SCREEN_FIELDS))
    record(Event.UPDATE, actor=actor, obj=locked, subject=locked.subject, before=old, after=new,
           message=str(ConceptStatus(outcome).label))
    return locked


def _reserve_project(concept: Concept, owner: Unit, actor: Actor) -> Project:
    values: dict[str, Any] = {
        "name": concept.name, "domain": concept.domain, "county": concept.county, "owner": owner,
        "lead_unit": concept.proposer if concept.proposer.kind == UnitKind.BUREAU else None,
        "total_investment": concept.estimated_investment, "planned_start": concept.planned_start,
        "is_government": concept.is_government, "description": concept.scale,
    }
    if is_system(actor):
        values["is_demo"] = concept.is_demo
    project = create_project(ProjectInput(values=values), actor=actor)
    lay_out_milestones(project, actor=actor)
    return project


@transaction.atomic
def lay_out_milestones(project: Project, *, actor: Actor) -> list[Milestone]:
    """The project type's 前期工作 milestones (data/pipeline.yaml), planned back from the planned start; those
    the project has already are kept."""
    if not allowed(actor, lambda user: can(user, project, Action.CHANGE)):
        raise Forbidden(_("无权修改该项目的前期工作节点"))
    kinds = rules().milestones[project_type(project.is_government)]
    have = set(project.milestones.values_list("key", flat=True))
    units = {u.key: u for u in Unit.objects.filter(key__in={k.unit for k in kinds if k.unit})}
    start = project.planned_start
    made = [Milestone(project=project, key=k.key, name=k.name, order=i, before_start=k.before_start,
                      planned_on=add_months(start.replace(day=1), -k.months_before) if start else None,
                      responsible=units.get(k.unit) or project.owner)
            for i, k in enumerate(kinds) if k.key not in have]
    Milestone.objects.bulk_create(made)
    if made:
        record(Event.CREATE, actor=actor, object_type="pipeline.milestone", object_id=str(project.pk),
               object_repr=f"{project} 前期工作节点", subject=project.subject,
               after={"milestones": [m.key for m in made]})
    return made


@transaction.atomic
def update_milestone(milestone: Milestone, changes: dict[str, Any], *, actor: Actor,
                     expected_version: int | None = None) -> Milestone:
    """Plan or record a milestone: its planned and actual dates, responsible unit and a note."""
    if not allowed(actor, lambda user: can(user, milestone, Action.CHANGE)):
        raise Forbidden(_("无权修改该项目的前期工作节点"))
    unknown = set(changes) - {"planned_on", "actual_on", "responsible", "note"}
    if unknown:
        raise BusinessError(_("未知字段:%(fields)s") % {"fields": ", ".join(sorted(unknown))})
    locked = Milestone.objects.select_for_update().get(pk=milestone.pk)
    if expected_version is not None and locked.version != expected_version:
        raise Conflict()
    before = snapshot(locked, _MILESTONE_FIELDS)
    for name, value in changes.items():
        if name in ("planned_on", "actual_on"):
            _day(value, name)
            if name == "actual_on" and value and value > timezone.localdate():
                raise BusinessError(_("实际完成日期不能晚于今天"), field=name)
        setattr(locked, name, (value or "").strip() if name == "note" else value)
    old, new = diff(before, snapshot(locked, _MILESTONE_FIELDS))
    if not new:
        return locked
    locked.version = F("version") + 1
    locked.save()
    locked.refresh_from_db()
    record(Event.UPDATE, actor=actor, obj=locked, subject=f"project:{locked.project_id}", before=old, after=new)
    return locked


@transaction.atomic
def allocate_fund(*, year: int, county: Unit, allocated: Any, project: Project | None = None, spent: Any = 0,
                  document: str = "", is_demo: bool = False, actor: Actor) -> PreliminaryFund:
    """前期经费: the office records what a county (or the city) set aside in a year, for a project or the pool;
    the same county, year and project again corrects the row."""
    if not allowed(actor, lambda user: scope_of(user).is_office):
        raise Forbidden(_("只有项目办可以登记前期工作经费"))
    if county.kind != UnitKind.COUNTY:
        raise BusinessError(_("「%(unit)s」不是县区") % {"unit": county}, field="county")
    if project is not None and project.county_id != county.pk:
        raise BusinessError(_("项目不在该县区"), field="project")
    if not 2000 <= year <= 2100:
        raise BusinessError(_("年度不正确"), field="year")
    amount, used = _money(allocated, "allocated"), _money(spent or 0, "spent")
    row = (PreliminaryFund.objects.select_for_update().filter(year=year, county=county, project=project).first()
           if project is not None else None)
    before = snapshot(row, ["allocated", "spent", "document"]) if row else None
    row = row or PreliminaryFund(year=year, county=county, project=project, is_demo=is_demo)
    row.allocated, row.spent, row.document = amount, used, (document or "").strip()
    if row.pk:
        row.version = F("version") + 1
    row.save()
    row.refresh_from_db()
    old, new = diff(before, snapshot(row, ["allocated", "spent", "document"]))
    record(Event.CREATE if before is None else Event.UPDATE, actor=actor, obj=row,
           subject=project.subject if project else "", before=old or None, after=new)
    return row


@transaction.atomic
def record_registration(project: Project, *, registered_on: dt.date | None, register_number: str = "",
                        actor: Actor) -> Registration:
    """统计入库: the statistics bureau (or the office) records that the project is in the register, with the
    date and the register number; no date sets it back to 未入库."""
    if not allowed(actor, lambda user: (scope_of(user).is_office and can(user, project))
                   or can(user, project, Action.REVIEW)):
        raise Forbidden(_("只有统计局或项目办可以登记统计入库"))
    if registered_on is not None:
        _day(registered_on, "registered_on")
        if registered_on > timezone.localdate():
            raise BusinessError(_("入库日期不能晚于今天"), field="registered_on")
        if not (register_number or "").strip():
            raise BusinessError(_("请填写入库编号"), field="register_number")
    row, created = Registration.objects.select_for_update().get_or_create(project=project)
    fields = ["status", "registered_on", "register_number"]
    before = None if created else snapshot(row, fields)
    row.status = RegisterStatus.REGISTERED if registered_on else RegisterStatus.NOT_REGISTERED
    row.registered_on = registered_on
    row.register_number = (register_number or "").strip() if registered_on else ""
    if not created:
        row.version = F("version") + 1
    row.save()
    row.refresh_from_db()
    old, new = diff(before, snapshot(row, fields))
    record(Event.CREATE if created else Event.UPDATE, actor=actor, obj=row, subject=project.subject,
           before=old or None, after=new)
    return row


def under_way(project: Project) -> bool:
    return project.stage in (Stage.NEW_START, Stage.CONTINUING, Stage.COMPLETED, Stage.IN_OPERATION)
