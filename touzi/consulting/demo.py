"""Demo consulting register: six firms, their engagements and the stage figures of 150 demo projects.

Deterministic (`random.Random(seed)`), written in bulk once; running it again changes nothing. The firms differ
on purpose: one estimates well and delivers on time, one underestimates by a fifth, one is erratic and late,
so the evaluation list has every grade. The 2022 evaluation is published.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction

from touzi.audit.choices import Event
from touzi.audit.services import record
from touzi.consulting.choices import EngagementKind, Stage
from touzi.consulting.models import Engagement, Firm, StageFigure
from touzi.consulting.services import publish_evaluation
from touzi.core.actor import System
from touzi.projects.models import Project

# name, credit grade, (mean, spread) of the deviation of its figures (%), share of deliverables late
FIRMS = [
    ("广西交通规划勘察设计研究院", "甲级", (2.0, 3.0), 0.0),
    ("北海市工程咨询中心", "乙级", (5.0, 5.0), 0.1),
    ("中国市政工程西南设计研究总院广西分院", "甲级", (4.0, 4.0), 0.05),
    ("广西建设工程造价咨询有限公司", "乙级", (8.0, 9.0), 0.2),
    ("北海华鑫项目管理咨询有限公司", "丙级", (18.0, 8.0), 0.3),
    ("广西某工程咨询有限公司", "丙级", (0.0, 25.0), 0.5),
]

PROFILE = {name: (deviation, late) for name, _, deviation, late in FIRMS}


def _round(value: float) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def seed(*, size: int = 150, rng_seed: int = 2022) -> int:
    """Write the demo register once (nothing when a firm of the list exists); returns how many stage figures."""
    if Firm.objects.filter(name=FIRMS[0][0]).exists():
        return 0
    projects = list(Project.objects.filter(is_demo=True).order_by("pk").values_list("pk", "total_investment")[:size])
    if not projects:
        return 0
    rng = random.Random(rng_seed)
    with transaction.atomic():
        firms = Firm.objects.bulk_create([Firm(name=n, credit_grade=g) for n, g, _, _ in FIRMS])
        if any(f.pk is None for f in firms):
            firms = list(Firm.objects.filter(name__in=[f[0] for f in FIRMS]).order_by("pk"))
        by_name = {f.name: f for f in firms}
        figures, engagements = [], []
        for pk, total in projects:
            year = rng.choice([2021, 2021, 2022])
            studied = dt.date(year - 1, rng.randint(1, 12), rng.randint(1, 28))
            planner = by_name[rng.choice(FIRMS)[0]]
            designer = by_name[rng.choice(FIRMS)[0]]
            mean, spread = PROFILE[planner.name][0]
            estimate = Decimal(total) / (1 + Decimal(str(rng.gauss(mean, spread))) / 100)
            estimate = _round(float(estimate))
            approved = studied + dt.timedelta(days=rng.randint(200, 500))
            figures.append(StageFigure(project_id=pk, stage=Stage.ESTIMATE, amount=estimate, dated=studied,
                                       firm=planner, document=f"可研批复 北发改〔{studied.year}〕{rng.randint(10, 300)}号"))
            figures.append(StageFigure(project_id=pk, stage=Stage.BUDGET_ESTIMATE, amount=_round(float(total)),
                                       dated=approved, firm=designer,
                                       document=f"初设批复 北发改〔{approved.year}〕{rng.randint(10, 300)}号"))
            for firm, kind, start in ((planner, EngagementKind.FEASIBILITY, studied - dt.timedelta(days=120)),
                                      (designer, EngagementKind.DESIGN, approved - dt.timedelta(days=150))):
                late_share = PROFILE[firm.name][1]
                due = start + dt.timedelta(days=90)
                delivered = due + dt.timedelta(days=rng.randint(5, 60)) if rng.random() < late_share else (
                    due - dt.timedelta(days=rng.randint(0, 20)))
                engagements.append(Engagement(firm=firm, project_id=pk, kind=kind, contracted_on=start, due_on=due,
                                              delivered_on=delivered, document=f"{kind.label}报告"))
            if rng.random() < 0.3:  # some reached the construction budget
                dated = approved + dt.timedelta(days=rng.randint(90, 200))
                budget = _round(float(total) * (1 + rng.gauss(1.0, 3.0) / 100))
                figures.append(StageFigure(project_id=pk, stage=Stage.BUDGET, amount=budget, dated=dated,
                                           firm=by_name[FIRMS[3][0]], document="施工图预算审核报告"))
        StageFigure.objects.bulk_create(figures, batch_size=1000)
        Engagement.objects.bulk_create(engagements, batch_size=1000)
        record(Event.CREATE, actor=System("demo"), object_type="consulting.firm", object_id="demo",
               object_repr="演示工程咨询单位", after={"firms": len(firms), "figures": len(figures),
                                                     "engagements": len(engagements)})
        publish_evaluation(2022, actor=System("demo"))
    return len(figures)
