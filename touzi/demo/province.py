"""The demo's province: the Guangxi example plan beside Beihai's, and a small generated 钦州 portfolio.

So that the plan switch shows something: the province's dashboard ranks its cities (北海 with the Beihai demo's
ledger, 钦州 with the projects made here), and a Beihai project the region coordinates counts in both plans.
Deterministic for a seed; running it again creates nothing. Every project is marked 演示 (is_demo).
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction

from touzi.audit.choices import Event
from touzi.audit.services import record
from touzi.core.actor import System
from touzi.demo.catalog import load
from touzi.demo.months import YEARS, months_between
from touzi.plans.loader import check_plan_file
from touzi.plans.models import Collection, Domain, Plan
from touzi.plans.services import known_unit_keys, load_plan
from touzi.projects.choices import Stage
from touzi.projects.models import AnnualPlan, Membership, Project
from touzi.reports.bulk import load_ledger
from touzi.reports.choices import ReportStatus
from touzi.reports.models import MonthlyReport
from touzi.units.choices import UnitKind
from touzi.units.models import Unit

PROVINCE_FILE = Path(settings.DEFAULT_PLAN_FILE).parent / "guangxi-2021-2023.yaml"
PROVINCE_KEY = "guangxi-2021-2023"
_DATA = load("qinzhou")  # data/qinzhou.yaml
COUNTIES: dict[str, str] = _DATA["counties"]  # county key → division code
KINDS: list[dict[str, Any]] = _DATA["kinds"]  # domain, industry code of the project code, names, size range in 万元
PLACES: list[str] = _DATA["places"]
OWNERS: list[str] = _DATA["owners"]
# The national seasonal shape of a year's investment by month (Feb stands for 1—2月), for the months' amounts.
SHAPE: dict[int, float] = _DATA["shape"]


def load_province_plan() -> None:
    """The example province plan (a reload of an unchanged file changes nothing)."""
    content = PROVINCE_FILE.read_bytes()
    load_plan(check_plan_file(content, PROVINCE_FILE.name, known_unit_keys()), actor=System("demo"))


def ensure_demo_province(*, size: int = 60, seed: int = 2024) -> int:
    """Make `size` 钦州 projects with three years of reports for the province's demo (once)."""
    if Project.objects.filter(county__division_code__startswith="4507", is_demo=True).exists():
        return 0
    return _generate(size, random.Random(seed))


@transaction.atomic
def _generate(size: int, rng: random.Random) -> int:
    counties = dict(Unit.objects.filter(key__in=COUNTIES).values_list("key", "id"))
    owners = [Unit.objects.get_or_create(key=f"demo-qz-owner-{i}", defaults={
        "name": f"钦州{name}有限公司", "short_name": f"钦州{name}", "kind": UnitKind.ENTERPRISE})[0]
              for i, name in enumerate(OWNERS)]
    domains = dict(Domain.objects.filter(key__in=[k["domain"] for k in KINDS]).values_list("key", "id"))
    listed = Collection.objects.get(key="region-coordinated")
    projects, plans, reports, memberships = [], [], [], []
    for n in range(size):
        kind = rng.choice(KINDS)
        domain, industry, names, (low, high) = kind["domain"], kind["industry"], kind["names"], kind["size"]
        county = rng.choice(list(COUNTIES))
        start_year = rng.choice((2020, 2021, 2021, 2022, 2023))
        start = dt.date(start_year, rng.randint(2, 10), 1)
        years = rng.randint(2, 4)
        end = dt.date(min(start.year + years, 2026), rng.randint(1, 12), 1)
        total = Decimal(rng.randrange(low, high, 100))
        project = Project(
            code=f"{start.year}-{COUNTIES[county]}-{industry}-0{rng.randint(1, 3)}-{900_000 + n:06d}",
            name=f"钦州{rng.choice(PLACES)}{rng.choice(names)}", domain_id=domains[domain],
            county_id=counties[county], owner=rng.choice(owners), total_investment=total, planned_start=start,
            planned_completion=end, actual_start=start, stage=Stage.CONTINUING if start.year < 2023 else Stage.NEW_START,
            is_demo=True, description=f"演示项目:位于钦州市,总投资约{total / 10000:.2f}亿元。")
        projects.append((project, start, end, total))
    Project.objects.bulk_create([p for p, *_rest in projects])
    for project, start, end, total in projects:
        if project.pk is None:  # a database that returns no ids from bulk inserts
            project.pk = Project.objects.get(code=project.code).pk
        if rng.random() < 0.4:
            memberships.append(Membership(project_id=project.pk, collection=listed))
        months = max(months_between(start, end), 1)
        per_month = total / months
        for year in YEARS:
            active = [m for m in SHAPE if start <= dt.date(year, m, 1) <= end]
            if not active:
                continue
            planned = (per_month * len(active) * Decimal("1.1")).quantize(Decimal(1))
            plans.append(AnnualPlan(project_id=project.pk, year=year, planned_investment=planned,
                                    category=Stage.NEW_START if start.year == year else Stage.CONTINUING))
            weight = sum(SHAPE[m] for m in active)
            for m in active:
                amount = (planned * Decimal(SHAPE[m] / weight) * Decimal(rng.uniform(0.7, 1.15))).quantize(
                    Decimal("0.01"))
                status = ReportStatus.SUBMITTED if (year, m) == (2023, 12) else ReportStatus.ACCEPTED
                reports.append(MonthlyReport(project_id=project.pk, month=dt.date(year, m, 1), amount=amount,
                                             status=status, progress="按计划推进"))
    Membership.objects.bulk_create(memberships)
    AnnualPlan.objects.bulk_create(plans)
    load_ledger(reports, actor=System("demo"))
    ids = [p.pk for p, *_rest in projects]
    plan = Plan.objects.get(key=PROVINCE_KEY)
    record(Event.CREATE, actor=System("demo"), object_type="core.demo_province", object_id=plan.key,
           object_repr=f"{plan.name}:演示项目",
           after={"projects": len(ids), "annual_plans": len(plans), "reports": len(reports),
                  "memberships": len(memberships)}, message="生成钦州市演示项目")
    return len(ids)
