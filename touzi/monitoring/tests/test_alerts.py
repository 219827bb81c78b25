"""Each early warning on a hand-made portfolio, with its level worked out here."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from touzi.core.actor import System
from touzi.monitoring.alerts import alerts
from touzi.monitoring.choices import Level, WarningKind
from touzi.projects.models import AnnualPlan, FactorIssue
from touzi.reports.bulk import load_ledger
from touzi.reports.counted import refresh
from touzi.reports.models import MonthlyReport
from touzi.testing import new_project
from touzi.units.models import Unit

pytestmark = pytest.mark.django_db
JUNE = dt.date(2023, 6, 1)
AFTER_DEADLINE = dt.date(2023, 7, 11)


def _of(found, kind):
    return {a.project_name: a for a in found if a.kind == kind}


def _report(project, month: dt.date, amount: str, status: str = "accepted") -> None:
    load_ledger([MonthlyReport(project=project, month=month, amount=Decimal(amount), status=status)], actor=System("test"))


def test_investment_behind_the_annual_plans_time_share(owners, olive, mini_plan) -> None:
    for name, ytd, code in (("红色项目", "2000", 1), ("黄色项目", "4000", 2), ("正常项目", "5000", 3)):
        p = new_project(name, county="county-a", owner="owner-a", code=f"2023-450521-26-03-00010{code}")
        AnnualPlan.objects.create(project=p, year=2023, planned_investment=Decimal("12000"))
        _report(p, dt.date(2023, 3, 1), ytd)
    found = _of(alerts(olive, mini_plan, JUNE, today=JUNE), WarningKind.BEHIND_PLAN)
    assert {k: a.level for k, a in found.items()} == {"红色项目": Level.RED, "黄色项目": Level.YELLOW}
    assert "低于序时进度 50.0%" in found["红色项目"].reason and "16.7%" in found["红色项目"].reason


def test_a_planned_start_that_has_passed(owners, olive, mini_plan) -> None:
    new_project("久未开工", county="county-a", owner="owner-a", stage="reserve", planned_start=dt.date(2023, 1, 1))
    new_project("刚过开工期", county="county-a", owner="owner-b", stage="reserve", planned_start=dt.date(2023, 5, 1))
    found = _of(alerts(olive, mini_plan, JUNE, today=JUNE), WarningKind.START_LATE)
    assert {k: a.level for k, a in found.items()} == {"久未开工": Level.RED, "刚过开工期": Level.YELLOW}
    assert "已逾期 5 个月" in found["久未开工"].reason


def test_a_planned_completion_that_has_passed(owners, olive, mini_plan) -> None:
    new_project("逾期竣工", county="county-a", owner="owner-a", code="2021-450521-26-03-000201",
                planned_completion=dt.date(2023, 4, 1))
    found = _of(alerts(olive, mini_plan, JUNE, today=JUNE), WarningKind.COMPLETION_LATE)
    assert found["逾期竣工"].level == Level.YELLOW and "已逾期 2 个月" in found["逾期竣工"].reason


def test_a_missing_report_after_the_deadline(owners, olive, mini_plan) -> None:
    reported = new_project("按时报送", county="county-a", owner="owner-a", code="2021-450521-26-03-000301")
    once = new_project("本月未报", county="county-a", owner="owner-b", code="2021-450521-26-03-000302")
    never = new_project("连续未报", county="county-b", owner="owner-b", code="2021-450503-26-03-000303")
    _report(reported, JUNE, "1", status="submitted")
    _report(once, dt.date(2023, 5, 1), "1")
    assert not _of(alerts(olive, mini_plan, JUNE, today=dt.date(2023, 7, 10)), WarningKind.REPORT_MISSING)
    found = _of(alerts(olive, mini_plan, JUNE, today=AFTER_DEADLINE), WarningKind.REPORT_MISSING)
    assert {k: a.level for k, a in found.items()} == {"本月未报": Level.YELLOW, "连续未报": Level.RED}
    assert found["本月未报"].unit == "乙公司"
    assert never.pk == found["连续未报"].project_id


def test_five_clarities_incomplete(owners, olive, mini_plan) -> None:
    p = new_project("五明确不全", county="county-a", owner="owner-a", code="2021-450521-26-03-000401")
    found = _of(alerts(olive, mini_plan, JUNE, today=JUNE), WarningKind.CLARITIES)
    assert found["五明确不全"].level == Level.RED and "年度投资计划" in found["五明确不全"].reason
    new_project("房地产豁免", county="county-a", owner="owner-b", code="2021-450521-70-03-000402",
                is_real_estate=True)
    assert "房地产豁免" not in _of(alerts(olive, mini_plan, JUNE, today=JUNE), WarningKind.CLARITIES)
    assert p.pk


def test_factor_problems_left_open(owners, olive, mini_plan) -> None:
    p = new_project("缺用地", county="county-a", owner="owner-a", code="2021-450521-26-03-000501")
    issue = FactorIssue.objects.create(project=p, kind="land", description="用地指标未落实",
                                       owed_by=Unit.objects.get(key="drc"), due=dt.date(2023, 5, 31))
    FactorIssue.objects.filter(pk=issue.pk).update(raised_at=dt.datetime(2023, 4, 1, tzinfo=dt.UTC))
    found = _of(alerts(olive, mini_plan, JUNE, today=AFTER_DEADLINE), WarningKind.FACTOR_OPEN)
    assert found["缺用地"].level == Level.RED and found["缺用地"].unit == "市发展改革委"


def test_warnings_are_scoped_to_the_users_projects(owners, aaron, bella, mini_plan) -> None:
    new_project("甲县逾期", county="county-a", owner="owner-a", stage="reserve", planned_start=dt.date(2023, 1, 1))
    assert _of(alerts(aaron, mini_plan, JUNE, today=JUNE), WarningKind.START_LATE)
    assert not _of(alerts(bella, mini_plan, JUNE, today=JUNE), WarningKind.START_LATE)


def test_behind_plan_follows_corrections_and_adjustments(owners, olive, mini_plan) -> None:
    """The candidates pass reads reports only; adjustments either way and corrected reports still decide."""
    from touzi.reports.models import Adjustment

    lifted = new_project("核增后正常", county="county-a", owner="owner-a", code="2023-450521-26-03-000201")
    lowered = new_project("核减后滞后", county="county-a", owner="owner-a", code="2023-450521-26-03-000202")
    corrected = new_project("更正后滞后", county="county-a", owner="owner-a", code="2023-450521-26-03-000203")
    for p in (lifted, lowered, corrected):
        AnnualPlan.objects.create(project=p, year=2023, planned_investment=Decimal("12000"))
    _report(lifted, dt.date(2023, 3, 1), "2000")  # 2000 < 12000 × 0.5 × 0.8 = 4800 …
    load_ledger((), [Adjustment(project=lifted, month=dt.date(2023, 3, 1), delta=Decimal("3000"), reason="核增")], actor=System("test"))
    _report(lowered, dt.date(2023, 3, 1), "5000")  # 5000 ≥ 4800 …
    load_ledger((), [Adjustment(project=lowered, month=dt.date(2023, 4, 1), delta=Decimal("-1000"), reason="核减")], actor=System("test"))
    _report(corrected, dt.date(2023, 3, 1), "6000")
    MonthlyReport.objects.filter(project=corrected).update(amount=Decimal("4000"))  # a corrected figure
    refresh(MonthlyReport.objects.filter(project=corrected).values_list("project_id", flat=True))  # behind the acts
    found = _of(alerts(olive, mini_plan, JUNE, today=JUNE), WarningKind.BEHIND_PLAN)
    assert set(found) == {"核减后滞后", "更正后滞后"}
    assert "4,000 万元" in found["核减后滞后"].reason and "4,000 万元" in found["更正后滞后"].reason
