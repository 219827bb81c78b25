"""Demo pipeline (谋划储备与前期): concepts and their screening, milestones for the reserve (some late), 前期经费
by county with one county short of its target, the counties' values of the 前期经费 indicator, and 统计入库 for
the started projects (a few not yet 入库, so the warning shows).

Deterministic (`random.Random(SEED)`), quick (bulk writes; the concepts go through the services so that the
screening makes its reserve projects as a user's would), and running it again changes nothing.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.db import transaction

from touzi.audit.choices import Event
from touzi.audit.services import record
from touzi.core.actor import System
from touzi.indicators.models import IndicatorValue
from touzi.lib.periods import add_months
from touzi.pipeline.choices import ConceptStatus, RegisterStatus
from touzi.pipeline.models import Concept, Milestone, PreliminaryFund, Registration
from touzi.pipeline.rules import project_type, rules
from touzi.pipeline.services import propose_concept, screen_concept
from touzi.plans.models import Domain, Indicator, Plan
from touzi.projects.choices import Stage
from touzi.projects.models import Project
from touzi.units.models import Unit

SEED = 21
CUTOFF = dt.date(2023, 12, 31)  # the demo's "today"
SYSTEM = System("demo")
COUNTIES = ["haicheng", "yinhai", "tieshangang", "hepu"]
# (name, domain, county, proposer, 万元, planned start, government, outcome, ratings)
CONCEPTS = [
    ("北海港铁山港区西港区北暮作业区南7号至10号泊位", "waterway", "tieshangang", "transport", 420000, "2025-03", True,
     ConceptStatus.ACCEPTED, {"land": 2, "funding": 2, "studies": 2, "approvals": 1}),
    ("银海区海洋生物医药产业园二期", "industry", "yinhai", "yinhai", 180000, "2025-06", False,
     ConceptStatus.ACCEPTED, {"land": 2, "funding": 1, "studies": 2, "approvals": 1}),
    ("合浦县乡村振兴现代农业产业园", "agriculture", "hepu", "hepu", 65000, "2025-04", True,
     ConceptStatus.ACCEPTED, {"land": 2, "funding": 2, "studies": 1, "approvals": 1}),
    ("海城区老旧小区改造(2024—2025年)", "urbanization", "haicheng", "haicheng", 52000, "2024-09", True,
     ConceptStatus.ACCEPTED, {"land": 2, "funding": 2, "studies": 2, "approvals": 2}),
    ("铁山港区电子信息配套产业园", "industry", "tieshangang", "tieshangang", 150000, "2025-10", False,
     ConceptStatus.WATCH, {"land": 1, "funding": 1, "studies": 0, "approvals": 0}),
    ("北海滨海国家湿地公园生态修复工程", "ecology", "yinhai", "yinhai", 38000, "2025-03", True,
     ConceptStatus.WATCH, {"land": 2, "funding": 0, "studies": 1, "approvals": 0}),
    ("合浦县城区第二水厂", "water", "hepu", "water", 46000, "2025-08", True,
     ConceptStatus.RETURNED, {"land": 0, "funding": 0, "studies": 1, "approvals": 0}),
    ("海城区海上游乐综合体", "tourism", "haicheng", "haicheng", 90000, "2026-01", False,
     ConceptStatus.RETURNED, {"land": 0, "funding": 1, "studies": 0, "approvals": 0}),
    ("北海市区至涠洲岛海底电缆三期", "energy", "haicheng", "drc", 120000, "2025-12", True, None, {}),
    ("银海区智慧冷链物流园", "services", "yinhai", "yinhai", 70000, "2025-05", False, None, {}),
    ("铁山港区LNG冷能综合利用项目", "energy", "tieshangang", "tieshangang", 85000, "2026-03", False, None, {}),
    ("合浦县中医医院新院区", "health", "hepu", "hepu", 60000, "2025-09", True, None, {}),
]
RETURN_NOTE = "用地与资金均未落实,与已有项目功能重叠,建议重新谋划"
# 前期经费 by county and year (万元): Hepu is short of the 2000 万元 target in 2022.
FUNDS = {"haicheng": (2300, 2600, 2800), "yinhai": (2100, 2400, 2500), "tieshangang": (2600, 3000, 3200),
         "hepu": (2050, 1600, 2200)}


def seed(plan: Plan | None = None) -> None:
    if Concept.objects.filter(is_demo=True).exists():
        return
    with transaction.atomic():
        _concepts()
        _milestones()
        _funds(plan)
        _registrations()


def _concepts() -> None:
    units = {u.key: u for u in Unit.objects.filter(key__in={c[3] for c in CONCEPTS} | set(COUNTIES))}
    domains = {d.key: d for d in Domain.objects.filter(key__in={c[1] for c in CONCEPTS})}
    for i, (name, domain, county, proposer, amount, start, gov, outcome, ratings) in enumerate(CONCEPTS):
        if domain not in domains or county not in units or proposer not in units:
            continue
        concept = propose_concept(
            name=name, domain=domains[domain], county=units[county], estimated_investment=Decimal(amount),
            proposer=units[proposer], proposed_on=dt.date(2022 + i % 2, 3 + i % 9, 10),
            planned_start=dt.date(int(start[:4]), int(start[5:]), 1), is_government=gov,
            scale="详见项目建议书", rationale="围绕西部陆海新通道、向海经济谋划的补短板项目", is_demo=True, actor=SYSTEM)
        if outcome is not None:
            screen_concept(concept, outcome, ratings=ratings, note=RETURN_NOTE if outcome == ConceptStatus.RETURNED
                           else "", on=dt.date(2023, 6 + i % 5, 15), actor=SYSTEM)


def _milestones() -> None:
    """The reserve and preliminary projects' milestones, planned back from their planned start: done when due
    (mostly), some late (planned before the demo's today and not done), the rest ahead."""
    rng = random.Random(SEED)
    have = Milestone.objects.values("project_id")
    rows = (Project.objects.filter(is_demo=True, stage__in=[Stage.RESERVE, Stage.PRELIMINARY])
            .exclude(id__in=have).order_by("id").values_list("id", "is_government", "planned_start", "owner_id"))
    units = dict(Unit.objects.filter(key__in={"drc", "natres", "ecoenv"}).values_list("key", "id"))
    made = []
    for project_id, government, start, owner_id in rows:
        start = start or dt.date(2025, 6, 1)
        late = rng.random() < 0.25  # a quarter of the reserve runs late on one step
        for order, kind in enumerate(rules().milestones[project_type(government)]):
            planned = add_months(start.replace(day=1), -kind.months_before)
            done = planned <= dt.date(2023, 11, 30) and not (late and order >= 2)
            made.append(Milestone(project_id=project_id, key=kind.key, name=kind.name, order=order,
                                  before_start=kind.before_start, planned_on=planned,
                                  actual_on=planned + dt.timedelta(days=rng.randint(-20, 25)) if done else None,
                                  responsible_id=units.get(kind.unit) or owner_id))
    for m in made:  # a done step is never after the demo's today
        if m.actual_on is not None and m.actual_on > CUTOFF:
            m.actual_on = CUTOFF
    Milestone.objects.bulk_create(made, batch_size=1000)
    record(Event.CREATE, actor=SYSTEM, object_type="pipeline.milestone", object_id="demo",
           object_repr="演示前期工作节点", after={"milestones": len(made)})


def _funds(plan: Plan | None) -> None:
    counties = {u.key: u for u in Unit.objects.filter(key__in=COUNTIES)}
    rows = [PreliminaryFund(year=2021 + i, county=counties[key], allocated=Decimal(amount),
                            spent=(Decimal(amount) * Decimal("0.8")).quantize(Decimal(1)),
                            document=f"北财建〔{2021 + i}〕{10 + n * 3 + i}号", is_demo=True)
            for n, (key, amounts) in enumerate(FUNDS.items()) if key in counties for i, amount in enumerate(amounts)]
    PreliminaryFund.objects.bulk_create(rows)
    indicator = (Indicator.objects.filter(plan=plan, key="prelim-funds-county").first() if plan is not None
                 else None)
    if indicator is not None:
        IndicatorValue.objects.bulk_create([
            IndicatorValue(indicator=indicator, month=dt.date(r.year, 12, 1), county=r.county, value=r.allocated,
                           source="市财政局前期工作经费安排文件") for r in rows], ignore_conflicts=True)
    record(Event.CREATE, actor=SYSTEM, object_type="pipeline.preliminaryfund", object_id="demo",
           object_repr="演示前期工作经费", after={"rows": len(rows)})


def _registrations() -> None:
    """Started projects are 入库 a month or two after their start; one in twelve of those started from January to
    August 2023 is not (yet): the 入库 warning has something to show."""
    rng = random.Random(SEED + 1)
    rows = (Project.objects.filter(is_demo=True, actual_start__isnull=False).exclude(registration__isnull=False)
            .order_by("id").values_list("id", "actual_start", "county__division_code"))
    made, early_2023 = [], 0
    for n, (project_id, started, code) in enumerate(rows):
        assert started is not None
        if dt.date(2023, 1, 1) <= started <= dt.date(2023, 8, 31):
            early_2023 += 1
            if early_2023 % 12 == 1:  # the 1st, 13th, 25th … of them: not 入库 months after their start
                continue
        on = min(add_months(started.replace(day=1), rng.randint(1, 2)) + dt.timedelta(days=9), CUTOFF)
        made.append(Registration(project_id=project_id, status=RegisterStatus.REGISTERED, registered_on=on,
                                 register_number=f"{code or '450500'}-{on.year}-{n + 1:05d}"))
    Registration.objects.bulk_create(made, batch_size=1000)
    record(Event.CREATE, actor=SYSTEM, object_type="pipeline.registration", object_id="demo",
           object_repr="演示统计入库", after={"registered": len(made)})
