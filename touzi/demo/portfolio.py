"""The demo portfolio: a deterministic, realistic project library for the Beihai plan, made by `touzi demo`.

Every project the plan names (玖龙纸业(北海)林浆纸一体化项目, 合浦至湛江铁路, the schools and hospitals
of 二(一)8 …) is there in its domain, with a realistic total investment; generated projects fill the
library up to `size` across every leaf domain, county and park. Each project under construction reports
monthly from 2021-02 (1—2月) to 2023-12, so that the sums land near the plan's targets: the major-project
list's 500/620/790 亿元 and each domain's 2021–2023 total, some domains deliberately above and some below.
Months up to 2023-11 are accepted and locked; 2023-12 is open with a mix of statuses.

The work is split in three: the literal data lives in data/*.yaml (touzi.demo.catalog), `plan_portfolio`
(touzi.demo.planner) decides everything in memory from `random.Random(seed)`, and `write_portfolio`
(touzi.demo.writer) stores it with a handful of bulk inserts. This module runs them once, in one transaction
with one audit record, and reads the totals back. All money is in 万元 (1 亿元 = 10,000 万元).
"""

from __future__ import annotations

import random
from typing import Any

from django.db import transaction
from django.db.models import Sum

from touzi.audit.models import AuditRecord
from touzi.demo.catalog import LEAF_DOMAINS, YI
from touzi.demo.drafts import OWNER_KEY_PREFIX
from touzi.demo.months import YEARS
from touzi.demo.planner import plan_portfolio
from touzi.demo.writer import PortfolioSummary, write_portfolio
from touzi.projects.models import AnnualPlan, FundingLine, KeyApproval, Membership, Project
from touzi.reports.choices import COUNTED
from touzi.reports.models import Adjustment, MonthLock, MonthlyReport
from touzi.units.models import Unit


def ensure_demo_portfolio(*, size: int = 2000, seed: int = 2021) -> PortfolioSummary:
    """Create the demo portfolio once; if any demo project exists already, change nothing."""
    if Project.objects.filter(is_demo=True).exists():
        return _existing_summary()
    draft = plan_portfolio(size=size, seed=seed)
    with transaction.atomic():
        return write_portfolio(draft, random.Random(seed + 1))


def _existing_summary() -> PortfolioSummary:
    demo = {"project__is_demo": True}
    subjects = [f"project:{pk}" for pk in Project.objects.filter(is_demo=True).values_list("pk", flat=True)]
    history = AuditRecord.objects.filter(object_type="reports.monthlyreport", subject__in=subjects,
                                         actor__isnull=True).count()
    return PortfolioSummary(
        created=False,
        projects=Project.objects.filter(is_demo=True).count(),
        owners=Unit.objects.filter(key__startswith=OWNER_KEY_PREFIX).count(),
        reports=MonthlyReport.objects.filter(**demo).count(),
        annual_plans=AnnualPlan.objects.filter(**demo).count(),
        memberships=Membership.objects.filter(**demo).count(),
        funding_lines=FundingLine.objects.filter(**demo).count(),
        approvals=KeyApproval.objects.filter(**demo).count(),
        adjustments=Adjustment.objects.filter(**demo).count(),
        month_locks=MonthLock.objects.count(),
        audit_records=AuditRecord.objects.filter(object_type="core.demo_portfolio").count() + history,
    )


def portfolio_totals() -> dict[str, Any]:
    """The counted totals of Beihai's demo (亿元): the major list per year and each leaf domain's 2021–2023 sum
    (the example province's 钦州 projects are not Beihai's)."""
    beihai = {"project__is_demo": True, "project__county__division_code__startswith": "4505"}
    reports = MonthlyReport.objects.filter(status__in=COUNTED, **beihai)
    adjustments = Adjustment.objects.filter(**beihai)
    result: dict[str, Any] = {"major": {}, "domains": {}}
    for year in YEARS:
        listed = {"project__memberships__collection__key": "major-list", "project__memberships__year": year,
                  "month__year": year}
        amount = (reports.filter(**listed).aggregate(s=Sum("amount"))["s"] or 0) + (
            adjustments.filter(**listed).aggregate(s=Sum("delta"))["s"] or 0)
        result["major"][year] = float(amount) / YI
    by_domain = dict(reports.values_list("project__domain__key").annotate(s=Sum("amount")).order_by())
    for key, value in adjustments.values_list("project__domain__key").annotate(s=Sum("delta")).order_by():
        by_domain[key] = by_domain.get(key, 0) + value
    result["domains"] = {key: float(by_domain.get(key, 0)) / YI for key in LEAF_DOMAINS}
    return result
