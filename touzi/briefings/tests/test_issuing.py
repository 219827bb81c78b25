"""Who issues the 通报 and to whom, its number and standing requirements come from the plan file; a plan
file without a `briefing:` section still loads and gets defaults; a province prints 全省 and 各市."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings

from touzi.briefings.freeze import from_json
from touzi.briefings.issuing import draft_number, issuing, number_for
from touzi.briefings.services import generate, publish
from touzi.briefings.tests.test_briefing import JUNE, ledger  # noqa: F401  (the fixture)
from touzi.core.actor import System
from touzi.plans.loader import PlanFileInvalid, check_plan_file
from touzi.testing import FIXTURES, load_file

pytestmark = pytest.mark.django_db

BRIEFING = """
briefing:
  issuer: 测试市重大项目建设领导小组办公室
  masthead: 测试市重大项目建设简报
  number: "第{seq}期"
  recipients: [各县区人民政府, 市直各有关单位]
  copy_to: [市委办公室, 市人民政府办公室]
  printed_by: 测试市发展和改革委员会办公室
  requirements:
    - {heading: 抓好项目调度, text: 各牵头单位每周调度一次在建项目。}
"""


def _mini(extra: str = "", *, code: str = "450500") -> bytes:
    text = (FIXTURES / "mini.yaml").read_text(encoding="utf-8").replace('code: "450500"', f'code: "{code}"')
    return (text + extra).encode()


def _load(content: bytes):
    from touzi.plans.services import load_plan

    load_plan(check_plan_file(content, "mini.yaml"), actor=System("test"))
    from touzi.plans.models import Plan

    return Plan.objects.get(key="mini")


def test_a_plan_file_without_a_briefing_section_loads_with_defaults(mini_plan) -> None:
    settings_ = issuing(mini_plan)
    assert mini_plan.briefing == {}
    assert settings_.issuer == "测试市领导小组办公室"  # the office group's name with the region's
    assert settings_.masthead == "测试市领导小组办公室文件"
    assert settings_.recipients_line == "各县区人民政府，市直各有关单位："
    assert settings_.copy_to == () and settings_.printed_by == settings_.issuer
    assert settings_.words.whole == "全市" and settings_.number_pattern == "测试投办〔{year}〕{seq}号"


def test_the_briefing_section_sets_masthead_number_recipients_colophon_and_requirements(
    ledger, olive  # noqa: F811
) -> None:
    plan = _load(_mini(BRIEFING))
    draft = generate(plan, JUNE, actor=olive)
    content = from_json(draft.content)
    assert content.masthead == "测试市重大项目建设简报"
    assert content.number == "〔草稿〕"  # a number like 第6期 has no organ prefix to keep
    assert content.recipients == "各县区人民政府，市直各有关单位："
    assert content.copy_to == ["市委办公室", "市人民政府办公室"]
    assert content.printed_by == "测试市发展和改革委员会办公室"
    assert content.issuer == "测试市重大项目建设领导小组办公室"
    requirements = content.sections[-1]
    assert requirements.children[-1].heading == "抓好项目调度"
    assert requirements.children[-1].paragraphs == ["各牵头单位每周调度一次在建项目。"]
    published = from_json(publish(draft, actor=olive).content)
    assert published.number == "第6期"
    assert published.printed_on == published.date


def test_a_draft_shows_the_organs_prefix_and_a_published_version_the_patterns_number(
    ledger, olive, mini_plan  # noqa: F811
) -> None:
    draft = generate(mini_plan, JUNE, actor=olive)
    assert from_json(draft.content).number == "测试投办〔草稿〕"
    assert publish(draft, actor=olive).number == "测试投办〔2021〕6号"
    assert number_for("北投办〔{year}〕{seq}号", dt.date(2023, 6, 1), 2) == "北投办〔2023〕6号（第2版）"
    assert draft_number("北投办〔{year}〕{seq}号") == "北投办〔草稿〕"


def test_a_province_prints_the_province_and_its_cities(ledger, olive) -> None:  # noqa: F811
    plan = _load(_mini(code="450000"))
    assert plan.level == "province"
    content = from_json(generate(plan, JUNE, actor=olive).content)
    assert content.title == "关于2021年1—6月全省重大项目建设情况的通报"
    assert content.recipients == "各市人民政府，省直各有关单位："
    assert content.sections[1].heading == "各市、园区和牵头单位推进情况"
    text = "".join(p for top in content.sections for s in top.walk() for p in s.paragraphs)
    assert "全市" not in text


def test_the_region_level_can_be_given_in_the_plan_file(db) -> None:
    plan = _load(_mini().replace("name: 测试市}".encode(), "name: 测试市, level: county}".encode()))
    assert plan.region_level == "county" and issuing(plan).words.whole == "全县"


def test_a_number_pattern_with_an_unknown_field_is_refused_with_its_line() -> None:
    with pytest.raises(PlanFileInvalid) as raised:
        check_plan_file(_mini('\nbriefing:\n  number: "北投办〔{year}〕{month}号"\n'), "mini.yaml")
    (line,) = raised.value.lines()
    assert "{month}" in line and line.startswith("mini.yaml:")


def test_beihai_issues_its_briefing_as_the_leading_groups_office(db) -> None:
    plan = load_file(settings.DEFAULT_PLAN_FILE)
    settings_ = issuing(plan)
    assert settings_.masthead == "北海市投资工作领导小组办公室文件"
    assert settings_.number_pattern == "北投办〔{year}〕{seq}号"
    assert "各产业园区管委会" in settings_.recipients and "市督查绩效考评办" in settings_.copy_to
    assert len(settings_.requirements) == 3
