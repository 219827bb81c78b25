"""Projects from Excel: every row through the registration service; all or nothing; new owners registered."""

from __future__ import annotations

import pytest

from touzi.imports.services import check, write
from touzi.imports.tests.sheets import workbook
from touzi.projects.models import Project
from touzi.units.models import Unit

pytestmark = pytest.mark.django_db
HEADER = ["项目代码", "项目名称", "所属领域", "专项归属", "县区", "园区", "项目业主", "牵头单位", "总投资(万元)",
          "专项债券(万元)", "企业自筹(万元)", "计划开工", "项目阶段", "政府投资项目", "房地产项目", "行业代码"]


def _row(code, name, *, domain="工业", county="甲县", owner="甲公司", total="20,000", stage="新开工", **kw):
    return [code, name, domain, kw.get("collections", "年度重大项目清单2023"), county, kw.get("park", ""), owner,
            kw.get("lead", "市工业和信息化局"), total, kw.get("bonds", ""), kw.get("self", "20000"),
            kw.get("start", "2023-03"), stage, kw.get("gov", "否"), "否", kw.get("industry", "26 化学原料和化学制品制造业")]


def test_a_clean_file_registers_projects_with_funding_and_lists(owners, olive) -> None:
    content = workbook([_row("2023-450521-26-03-000501", "甲县新材料二期"),
                        _row("", "甲县储备项目", stage="储备", owner="新来的实业有限公司", total="5000", self="")],
                       header=HEADER)
    checked = write("projects", content, olive, file_name="p.xlsx")
    assert checked.ok, checked.errors
    assert checked.counts["create"] == 2
    project = Project.objects.get(code="2023-450521-26-03-000501")
    assert project.stage == "new_start" and project.industry == "26" and project.total_investment == 20000
    assert project.memberships.get().year == 2023 and project.funding.get().source == "self_raised"
    assert Unit.objects.filter(name="新来的实业有限公司", kind="enterprise").exists()
    assert any("新建项目业主" in str(note) for note in checked.notes)


def test_the_preview_writes_nothing(owners, olive) -> None:
    checked = check("projects", workbook([_row("2023-450521-26-03-000501", "甲县新材料二期")], header=HEADER), olive)
    assert checked.ok and checked.counts["create"] == 1
    assert not Project.objects.filter(code="2023-450521-26-03-000501").exists()


def test_a_second_import_updates_by_code_and_unchanged_rows_stay_unchanged(owners, olive) -> None:
    rows = [_row("2023-450521-26-03-000501", "甲县新材料二期")]
    write("projects", workbook(rows, header=HEADER), olive, file_name="p.xlsx")
    again = write("projects", workbook(rows, header=HEADER), olive, file_name="p.xlsx")
    assert again.counts == {"create": 0, "update": 0, "unchanged": 1}
    changed = write("projects", workbook([_row("2023-450521-26-03-000501", "甲县新材料二期", total="25000",
                                               self="25000")], header=HEADER), olive, file_name="p.xlsx")
    assert changed.counts["update"] == 1
    assert Project.objects.get(code="2023-450521-26-03-000501").total_investment == 25000


def test_bad_rows_are_listed_and_no_row_is_written(owners, olive) -> None:
    content = workbook([
        _row("2023-450521-26-03-000501", "好项目"),
        _row("2023-450521-26-03-000502", "坏领域", domain="不存在的领域"),
        _row("12345", "坏代码"),
        _row("2023-450521-26-03-000503", "坏县区", county="火星县"),
        _row("2023-450521-26-03-000504", "坏阶段", stage="半完工"),
        _row("2023-450521-26-03-000501", "重复代码"),
    ], header=HEADER)
    checked = write("projects", content, olive, file_name="p.xlsx")
    assert {(e.row, e.column) for e in checked.errors} == {
        (3, "所属领域"), (4, "项目代码"), (5, "县区"), (6, "项目阶段"), (7, "项目代码")}
    assert not Project.objects.filter(name="好项目").exists()


def test_an_owner_cannot_import_projects_of_another_owner(owners, oscar) -> None:
    checked = check("projects", workbook([_row("2023-450521-26-03-000501", "别人的项目", owner="乙公司")],
                                         header=HEADER), oscar)
    assert not checked.ok
    assert any("无权" in e.message for e in checked.errors)


def test_a_new_owner_whose_name_does_not_fit_is_a_row_error_not_a_database_error(owners, olive) -> None:
    content = workbook([_row("2023-450521-26-03-000501", "甲县新材料二期", owner="很长的业主" * 40)], header=HEADER)
    checked = check("projects", content, olive)
    assert [(e.column, "过长" in e.message) for e in checked.errors] == [("项目业主", True)]
    assert not Unit.objects.filter(name__startswith="很长的业主").exists()
