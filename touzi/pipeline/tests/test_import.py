"""Concepts imported from Excel: all rows or none, with a row report in Chinese, through the same service."""

from __future__ import annotations

from decimal import Decimal

import pytest

from touzi.imports.services import confirm_import, stage_import
from touzi.imports.tests.hostile import xlsx
from touzi.pipeline.imports import check_concepts, concept_template, write_concepts
from touzi.pipeline.models import Concept

pytestmark = pytest.mark.django_db
HEAD = ["项目名称", "所属领域", "县区", "估算总投资(万元)", "提出单位", "建设地点", "建设规模及内容", "谋划依据",
        "政府投资项目", "设想开工年月", "提出日期"]


def test_a_county_imports_its_concepts_and_one_bad_row_refuses_the_file(aaron, bella) -> None:
    good = [["甲县滨海冷链基地", "industry", "甲县", "36000", "", "甲县港区", "冷库10万吨", "补链", "否", "2025-03-01",
             "2023-04-01"],
            ["甲县污水处理厂三期", "industry", "county-a", "12000.5", "甲县", "", "", "", "是", "", ""]]
    assert check_concepts(xlsx([HEAD, *good]), aaron).ok and not Concept.objects.exists()
    checked = write_concepts(xlsx([HEAD, *good]), aaron)
    assert checked.ok and checked.counts["create"] == 2
    plant = Concept.objects.get(name="甲县污水处理厂三期")
    assert plant.is_government and plant.estimated_investment == Decimal("12000.5") and plant.proposer.key == "county-a"
    bad = write_concepts(xlsx([HEAD, ["乙区项目", "industry", "乙区", "5000", "", "", "", "", "", "", ""],
                               ["无领域", "没有", "甲县", "5000", "", "", "", "", "", "", ""]]), aaron)
    problems = {(e.row, e.column): e.message for e in bad.errors}
    assert "不能" in problems[(2, "项目名称")]  # another county's concept: refused by the service
    assert "没有这个领域" in problems[(3, "所属领域")]
    assert Concept.objects.count() == 2
    assert concept_template()[:2] == b"PK"


def test_the_import_page_flow_stages_and_confirms_concepts(aaron) -> None:
    batch = stage_import("concepts", "谋划.xlsx", xlsx([HEAD, ["甲县文旅小镇", "industry", "甲县", "8000", "", "", "",
                                                              "", "", "", ""]]), actor=aaron)
    assert batch.status == "previewed" and not Concept.objects.exists()
    confirm_import(batch, actor=aaron)
    assert Concept.objects.get().name == "甲县文旅小镇"
