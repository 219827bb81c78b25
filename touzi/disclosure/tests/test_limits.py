"""The seed's limits: 停缓建 and 压缩规模 counted right in the figures and the annual plan; 楼堂馆所 refused at
registration unless exempted, and visible to the auditor."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from touzi.accounts.choices import Role
from touzi.core.actor import System
from touzi.disclosure.limits import office_reason, record_exemption
from touzi.disclosure.models import OfficeExemption
from touzi.lib.errors import BusinessError, Forbidden
from touzi.monitoring.dashboard import build
from touzi.projects.choices import Stage
from touzi.projects.models import AnnualPlan, Project, StageDecision
from touzi.projects.services import move_stage, roll_plan
from touzi.testing import client_for, make_user, new_project

pytestmark = pytest.mark.django_db


def test_suspended_and_scaled_down_projects_in_the_totals_and_the_annual_plan(mini_plan, gov, olive) -> None:
    plant, rail = gov["plant"], gov["rail"]
    with pytest.raises(BusinessError, match="决定文件"):
        move_stage(rail, Stage.SUSPENDED, actor=olive, reason="压减非生产性投入")
    with pytest.raises(BusinessError, match="压缩后的总投资"):
        move_stage(plant, Stage.SCALED_DOWN, actor=olive, reason="压缩", document="文1号")
    with pytest.raises(BusinessError, match="小于现总投资"):
        move_stage(plant, Stage.SCALED_DOWN, actor=olive, reason="压缩", document="文1号", new_total=Decimal("60000"))
    move_stage(rail, Stage.SUSPENDED, actor=olive, reason="压减非生产性投入", document="北政办〔2023〕18号",
               on_date=dt.date(2023, 6, 30))
    move_stage(plant, Stage.SCALED_DOWN, actor=olive, reason="取消附属用房", document="北发改〔2023〕52号",
               new_total=Decimal("40000"), on_date=dt.date(2023, 7, 1))
    decision = StageDecision.objects.get(project=plant)
    assert (decision.previous_total, decision.new_total) == (Decimal("50000"), Decimal("40000"))
    cards = build(olive, mini_plan, dt.date(2023, 7, 1), with_alerts=False).cards
    # 40000 (scaled down) + 8000 (park) + 120000 (suspended, still in the library at its total)
    assert cards["total"] == Decimal("168000") and cards["count"] == 3
    assert cards["under_way"] == 2  # the scaled-down plant and the park; the suspended rail line is not
    roll_plan(2024, actor=System("test"))
    assert set(AnnualPlan.objects.filter(year=2024).values_list("project__name", "category")) == {
        ("甲公司新材料工厂", Stage.CONTINUING), ("甲公司园区标准厂房", Stage.CONTINUING)}
    move_stage(rail, Stage.CONTINUING, actor=olive, reason="恢复建设", on_date=dt.date(2024, 1, 5))
    assert Project.objects.get(pk=rail.pk).stage == Stage.CONTINUING


def test_a_new_government_office_building_is_refused_unless_exempted(mini_plan, owners, olive, aaron) -> None:
    values: dict[str, Any] = {"is_government": True, "fiscal_contribution": Decimal("3000"), "lead": None}
    with pytest.raises(BusinessError, match="楼堂馆所"):
        new_project("甲县行政中心办公楼", county="county-a", owner="owner-a", stage="reserve", **values)
    assert not Project.objects.filter(name="甲县行政中心办公楼").exists()
    new_project("甲县机关办公楼维修改造", county="county-a", owner="owner-a", stage="reserve", **values)  # a repair
    new_project("甲公司办公楼", county="county-a", owner="owner-a", stage="reserve", lead=None)  # not government
    with pytest.raises(Forbidden):
        record_exemption(project_name="甲县行政中心办公楼", document="桂发改〔2022〕1号", reason="r", actor=aaron)
    record_exemption(project_name="甲县行政中心办公楼", document="桂发改〔2022〕1号", reason="特殊业务用房",
                     actor=olive)
    project = new_project("甲县行政中心办公楼", county="county-a", owner="owner-a", stage="reserve", **values)
    assert OfficeExemption.objects.get().project == project
    assert office_reason("某某局业务用房", "", True) and office_reason("某项目", "92", True)
    assert not office_reason("某某局业务用房", "", False)


def test_the_auditor_reads_the_check_and_the_exemptions(mini_plan, owners, olive, aaron) -> None:
    record_exemption(project_name="甲县行政中心办公楼", document="桂发改〔2022〕1号", reason="特殊业务用房",
                     actor=olive)
    new_project("甲县行政中心办公楼", county="county-a", owner="owner-a", stage="reserve", lead=None,
                is_government=True, fiscal_contribution=Decimal("3000"))
    auditor = make_user("audrey", Role.AUDITOR)
    html = client_for(auditor).get("/disclosure/limits/").content.decode()
    assert "甲县行政中心办公楼" in html and "桂发改〔2022〕1号" in html and "名称含「行政中心」" in html
    assert client_for(auditor).post("/disclosure/limits/", {"project_name": "x", "document": "d",
                                                            "reason": "r"}).status_code == 403
