"""Warnings: requests beyond a county's headroom; allocated projects that have not started (quota back to pool)."""

import datetime as dt
from decimal import Decimal

from touzi.factors.choices import FactorWarningKind
from touzi.factors.services import approve_allocation, request_allocation
from touzi.factors.tests.conftest import SYSTEM
from touzi.factors.warnings import factor_alerts, find
from touzi.monitoring.choices import Level
from touzi.monitoring.extensions import find_other, other_choices
from touzi.projects.models import Project


def test_requests_beyond_the_headroom_are_warned_to_the_county_and_the_keeper(land_a, land_b, projects, aaron,
                                                                           abe, bella, fay) -> None:
    first = request_allocation(land_a, projects["plant"], Decimal("250"), actor=aaron)
    approve_allocation(first, document="批", actor=abe)
    request_allocation(land_a, projects["park"], Decimal("80"), actor=aaron)  # 50 left, 80 asked
    request_allocation(land_b, projects["rail"], Decimal("100"), actor=SYSTEM)  # 120 left: fine
    month = dt.date(2023, 6, 1)
    found = [a for a in factor_alerts(aaron, month) if a.kind == FactorWarningKind.OVER_HEADROOM]
    assert len(found) == 1
    alert = found[0]
    assert (alert.level, alert.subject_id, alert.county) == (Level.YELLOW, land_a.pk, "甲县")
    assert "50" in alert.reason and "80" in alert.reason
    assert [a.key for a in factor_alerts(abe, month)] == [alert.key]
    assert not factor_alerts(bella, month) and not factor_alerts(fay, month)
    assert find(aaron, f"{alert.key}:2023-06") == alert
    assert find_other(aaron, f"{alert.key}:2023-06") == (True, alert)
    assert FactorWarningKind.OVER_HEADROOM in dict(other_choices())


def test_an_allocated_project_that_has_not_started_is_warned_and_red_at_twice_the_months(land_a, projects,
                                                                                         aaron, abe) -> None:
    reserve = projects["plant"]
    Project.objects.filter(pk=reserve.pk).update(actual_start=None, stage="reserve")
    allocation = request_allocation(land_a, reserve, Decimal("30"), actor=aaron)
    approve_allocation(allocation, document="批", approved_on=dt.date(2023, 1, 10), actor=abe)
    assert not factor_alerts(abe, dt.date(2023, 6, 1))  # five months on
    late = factor_alerts(abe, dt.date(2023, 7, 1))
    assert [(a.kind, a.level, a.project_id) for a in late] == [(FactorWarningKind.NOT_STARTED, Level.YELLOW,
                                                                reserve.pk)]
    assert factor_alerts(abe, dt.date(2024, 1, 1))[0].level == Level.RED
    Project.objects.filter(pk=reserve.pk).update(actual_start=dt.date(2023, 8, 1))
    assert factor_alerts(abe, dt.date(2023, 7, 1))  # not yet started at the end of July
    assert not factor_alerts(abe, dt.date(2023, 9, 1))


def test_the_briefing_has_a_factor_part_with_headroom_and_waiting_projects(land_a, land_b, projects, aaron, abe,
                                                                           olive, mini_plan) -> None:
    from touzi.briefings.freeze import from_json
    from touzi.briefings.services import generate

    approve_allocation(request_allocation(land_a, projects["plant"], Decimal("250"), actor=aaron), document="批",
                       actor=abe)
    request_allocation(land_a, projects["park"], Decimal("80"), actor=aaron)
    content = from_json(generate(mini_plan, dt.date(2023, 6, 1), actor=olive).content)
    headings = [s.heading for s in content.sections]
    part = content.sections[headings.index("要素保障情况")]
    text = "\n".join(p for s in part.walk() for p in s.paragraphs)
    assert "新增建设用地指标下达420亩、余量170亩（见附表" in text
    assert "待批申请超出指标余量的有甲县新增建设用地指标" in text and "等待要素指标的项目1个" in text
    table = next(t for t in content.annex_tables() if t.key == "factors")
    assert [r[1] for r in table.rows] == ["乙区", "甲县"]  # by GB/T 2260 code
