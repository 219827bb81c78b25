"""The Beihai plan file says what the seed says, word for word."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from django.conf import settings

SOURCE = settings.BASE_DIR / "plans" / "sources" / "beihai-2021-2023.txt"
SHARED_SEED = settings.BASE_DIR.parent / "shared" / "seed" / "000_02a0204a06928401.txt"


def _plan() -> dict:
    return yaml.safe_load(settings.DEFAULT_PLAN_FILE.read_text(encoding="utf-8"))


def _seed() -> str:
    return SOURCE.read_text(encoding="utf-8")


def _value_text(value: object) -> str:
    text = format(Decimal(str(value)).normalize(), "f")
    return text


def test_the_shipped_source_is_the_seed_document() -> None:
    if not SHARED_SEED.exists():
        pytest.skip("shared/seed is not beside this checkout")
    assert SOURCE.read_bytes() == SHARED_SEED.read_bytes()


@pytest.mark.parametrize("target", _plan()["targets"], ids=lambda t: t["key"])
def test_every_target_quotes_the_seed_verbatim_and_its_value_is_in_the_quote(target: dict) -> None:
    seed = _seed()
    assert target["quote"] in seed
    value = _value_text(target["value"])
    # The value must stand as a whole number in the quote: 20 must not match inside 2021.
    assert re.search(rf"(?<![\d.]){re.escape(value)}(?![\d.])", target["quote"]), (value, target["quote"])


@pytest.mark.parametrize("task", _plan()["tasks"], ids=lambda t: t["key"])
def test_every_task_quotes_its_responsibility_clause_verbatim(task: dict) -> None:
    assert task["quote"] and task["quote"] in _seed()


def test_the_three_annual_major_project_targets_are_500_620_790_yi_yuan() -> None:
    majors = {t["period"]: t for t in _plan()["targets"] if t["key"].startswith("major-")}
    assert {str(k): (v["value"], v["unit"]) for k, v in majors.items()} == {
        "2021": (500, "亿元"), "2022": (620, "亿元"), "2023": (790, "亿元")}


def test_every_numbered_task_of_the_seed_is_in_the_matrix() -> None:
    numbers = {t["number"] for t in _plan()["tasks"]}
    expected = {f"二(一){i}" for i in range(1, 9)} | {f"二(二){i}" for i in range(1, 8)}
    expected |= {f"二(三){i}" for i in range(1, 5)}
    expected |= {"三(一)1", "三(一)2", "三(一)3", "三(二)1", "三(二)2", "三(二)3", "三(三)",
                 "三(四)1", "三(四)2", "三(五)1", "三(五)2", "三(五)3"}
    assert expected <= numbers


def test_the_office_and_its_nine_subgroups_are_in_the_seeds_order() -> None:
    groups = _plan()["groups"]
    assert [g["kind"] for g in groups].count("office") == 1
    assert [g["name"] for g in groups if g["kind"] == "subgroup"] == [
        "资金组", "工业项目组", "交通项目组", "新型城镇化项目组", "新型基础设施项目组", "农业农村项目组",
        "生态环境保护组", "社会民生项目项目组", "统计指导组"]


def test_the_four_counties_carry_their_gbt2260_codes() -> None:
    counties = {u["short_name"]: u["division_code"] for u in _plan()["units"] if u["kind"] == "county"}
    assert counties == {"海城区": "450502", "银海区": "450503", "铁山港区": "450512", "合浦县": "450521"}


def test_the_two_governance_thresholds_are_targets() -> None:
    governance = {(t["value"], t["unit"]) for t in _plan()["targets"] if t["area"] == "governance"}
    assert governance == {(1000, "万元"), (10, "亿元")}


def test_about_forty_targets_cover_every_area() -> None:
    targets = _plan()["targets"]
    assert len(targets) >= 38
    assert {t["area"] for t in targets} == {"overall", "domain", "financing", "promotion", "governance"}


def test_the_plan_file_loads(beihai_plan) -> None:
    assert beihai_plan.targets.count() == len(_plan()["targets"])
    assert beihai_plan.tasks.count() == len(_plan()["tasks"])
    assert Path(settings.DEFAULT_PLAN_FILE).name == "beihai-2021-2023.yaml"
