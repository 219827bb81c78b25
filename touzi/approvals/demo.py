"""Demo approvals for the demo portfolio: every project's approvals by the rules, most done in time, some late,
some 容缺 with papers overdue, some 承诺制, a few projects that skipped a procedure, and a few joint review
sessions — so every approvals page has something to show. Deterministic (a fixed random seed)."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.db import transaction

from touzi.approvals.choices import Applies, ApprovalState, NeededBy, Route, SessionKind
from touzi.approvals.models import (
    Approval,
    ApprovalKind,
    ApprovalProfile,
    FollowUp,
    ReviewSession,
    SessionOpinion,
)
from touzi.approvals.workdays import add_workdays, workdays_between
from touzi.core.actor import Actor
from touzi.lib.regions import projects_in
from touzi.plans.models import Plan
from touzi.projects.choices import Stage
from touzi.units.models import Unit

# Which bureau of a Chinese city handles each kind (the Beihai plan's unit keys).
UNIT_OF_GROUP = {"立项": "drc", "节能": "drc", "稳评": "drc", "用地": "natres", "规划": "natres", "环评": "ecoenv",
                 "施工": "housing", "验收": "housing"}
STARTED = (Stage.NEW_START, Stage.CONTINUING, Stage.COMPLETED, Stage.IN_OPERATION)
END = dt.date(2023, 12, 29)  # the demo's data end with the plan


def _needs(kind: ApprovalKind, government: bool, stage: str) -> bool:
    if kind.applies != Applies.ALL and (kind.applies == Applies.GOVERNMENT) != government:
        return False
    route = Route.APPROVAL if government else Route.FILING
    if kind.route and kind.route != route:
        return False
    if kind.eia and kind.eia != "table":
        return False
    if kind.flag:
        return False
    return not (kind.needed_by == NeededBy.COMPLETION and stage in (Stage.RESERVE, Stage.PRELIMINARY))


def _course(rng: random.Random, a: Approval, submitted: dt.date, outcome: str) -> None:
    """Fill one approval's dates for an outcome: done (in time or late), running, deferred, not submitted."""
    if outcome == "not_submitted":
        return
    a.submitted_on = submitted
    a.accepted_on = add_workdays(submitted, rng.choice([0, 1, 1, 2]))
    if rng.random() < 0.35:
        a.promised_days = max(1, a.legal_days * 2 // 3)
    limit = a.promised_days or a.legal_days
    a.due_on = add_workdays(a.accepted_on, limit)
    if outcome == "deferred":
        a.state = ApprovalState.DEFERRED
        a.missing_papers = rng.choice(["土地权属证明", "规划设计方案批复", "水土保持方案", "施工合同备案"])
        a.papers_due_on = a.accepted_on + dt.timedelta(days=rng.choice([10, 15, 20]))
        return
    if outcome == "running":
        a.state = ApprovalState.ACCEPTED
        return
    late = outcome == "late"
    used = max(1, int(limit * (rng.uniform(1.1, 1.8) if late else rng.uniform(0.3, 1.0))))
    a.done_on = min(add_workdays(a.accepted_on, used), END)
    a.state = ApprovalState.DONE
    a.working_days = workdays_between(a.accepted_on, a.done_on)
    a.document_number = f"北{a.kind.group}〔{a.done_on.year}〕{rng.randint(1, 400)}号"
    if rng.random() < 0.08:
        a.commitment = rng.choice(["开工前完成文物勘探", "三个月内完成地质灾害危险性评估", "竣工前完成绿化配套"])
        a.commitment_due_on = a.done_on + dt.timedelta(days=90)
        if rng.random() < 0.6:
            a.commitment_verified_on = a.commitment_due_on - dt.timedelta(days=3)


@transaction.atomic
def seed(plan: Plan, *, actor: Actor, rng_seed: int = 2021) -> int:
    """The demo approvals of the plan's demo projects, once (nothing if they exist)."""
    from touzi.audit.choices import Event
    from touzi.audit.services import record
    from touzi.projects.models import Project

    projects = list(Project.objects.filter(is_demo=True).filter(projects_in(plan.region_code))
                    .order_by("pk").values_list("pk", "stage", "is_government", "actual_start", "planned_start",
                                                "county_id"))
    if not projects or Approval.objects.filter(project_id=projects[0][0]).exists():
        return 0
    rng = random.Random(rng_seed)
    kinds = list(ApprovalKind.objects.all())
    units = dict(Unit.objects.filter(key__in=set(UNIT_OF_GROUP.values())).values_list("key", "id"))
    rows, profiles = [], []
    for pk, stage, government, actual_start, planned_start, county in projects:
        if stage == Stage.CANCELLED:
            continue
        start = actual_start or planned_start or dt.date(2023, 9, 1)
        started = stage in STARTED
        skip_permit = started and rng.random() < 0.02  # started without 施工许可
        skip_estimate = started and government and rng.random() < 0.05
        late_filing = started and rng.random() < 0.015  # investment before 立项
        if rng.random() < 0.15:
            profiles.append(ApprovalProfile(project_id=pk, agent_unit_id=county, agent_person=rng.choice(
                ["李代办", "黄代办", "陈代办", "莫代办", "庞代办"]), agent_phone=f"0779-{rng.randint(2000000, 3999999)}"))
        day = start - dt.timedelta(days=320)
        for kind in kinds:
            if not _needs(kind, government, stage):
                continue
            a = Approval(project_id=pk, kind=kind, legal_days=kind.legal_days,
                         approving_unit_id=units.get(UNIT_OF_GROUP.get(kind.group, "drc")))
            if kind.needed_by == NeededBy.COMPLETION:
                if stage in (Stage.COMPLETED, Stage.IN_OPERATION) and rng.random() > 0.1:
                    _course(rng, a, min(END - dt.timedelta(days=40), start + dt.timedelta(days=500)), "done")
                elif stage in (Stage.COMPLETED, Stage.IN_OPERATION):
                    pass  # completed without the acceptance: a procedure skipped
            elif (kind.key == "construction" and skip_permit) or (kind.key == "budget-estimate" and skip_estimate):
                pass
            elif started:
                outcome = "late" if rng.random() < 0.12 else "done"
                submitted = day if not (late_filing and kind.route) else dt.date(2023, 6, 5)
                _course(rng, a, min(submitted, END - dt.timedelta(days=60)), outcome)
            elif stage == Stage.PRELIMINARY:
                roll = rng.random()
                outcome = ("done" if roll < 0.45 else "late" if roll < 0.5 else "running" if roll < 0.7
                           else "deferred" if roll < 0.78 else "not_submitted")
                submitted = dt.date(2023, rng.randint(8, 11), rng.randint(1, 28)) if outcome in (
                    "running", "deferred") else min(day, END - dt.timedelta(days=60))
                _course(rng, a, submitted, outcome)
                if outcome == "running" and rng.random() < 0.3:
                    a.submitted_on, a.accepted_on, a.due_on = submitted, None, None
                    a.state, a.promised_days = ApprovalState.SUBMITTED, None
            rows.append(a)
            day += dt.timedelta(days=rng.randint(10, 30))
    Approval.objects.bulk_create(rows, batch_size=1000)
    ApprovalProfile.objects.bulk_create(profiles, batch_size=1000)
    _sessions(rng, plan, units)
    record(Event.CREATE, actor=actor, object_type="approvals.approval", object_repr="演示审批事项",
           after={"approvals": len(rows), "agents": len(profiles)})
    return len(rows)


def _sessions(rng: random.Random, plan: Any, units: dict[str, int]) -> None:
    running = list(Approval.objects.filter(project__is_demo=True, project__stage=Stage.PRELIMINARY,
                                           state__in=[ApprovalState.ACCEPTED, ApprovalState.DEFERRED,
                                                      ApprovalState.SUBMITTED])
                   .filter(projects_in(plan.region_code, "project__")).order_by("project_id", "pk")
                   .values_list("pk", "project_id", "approving_unit_id")[:60])
    if not running or "drc" not in units:
        return
    titles = ["2023年第三季度重大项目联评联审会", "重大项目前期工作并联审批推进会", "2023年第四季度重大项目联评联审会"]
    dates = [dt.date(2023, 9, 14), dt.date(2023, 10, 19), dt.date(2023, 12, 7)]
    for n, (title, held_on) in enumerate(zip(titles, dates, strict=True)):
        chosen = running[n * 12:(n + 1) * 12]
        if not chosen:
            break
        session = ReviewSession.objects.create(
            kind=SessionKind.PARALLEL if n == 1 else SessionKind.JOINT, title=title, held_on=held_on,
            convened_by_id=units["drc"],
            decisions="与会单位同意对所列项目实行并联审批,各审批部门按承诺时限办结;容缺材料由项目业主在承诺期限内补齐。")
        session.units.set({u for _, _, u in chosen if u} | {units["drc"]})
        session.approvals.set([pk for pk, _, _ in chosen])
        Approval.objects.filter(pk__in=[pk for pk, _, _ in chosen]).update(parallel=True)
        projects = sorted({p for _, p, _ in chosen})
        for unit in sorted({u for _, _, u in chosen if u}):
            SessionOpinion.objects.create(session=session, unit_id=unit, project_id=rng.choice(projects),
                                          opinion=rng.choice(["原则同意,请补充水土保持方案后办理。",
                                                              "同意并联审批,按承诺时限办结。",
                                                              "建议优化用地布局,节约集约用地。"]))
        FollowUp.objects.create(session=session, text="项目业主补齐容缺材料并报审批部门", owner_id=units["drc"],
                                due_on=held_on + dt.timedelta(days=20),
                                done_on=held_on + dt.timedelta(days=15) if n == 0 else None)
