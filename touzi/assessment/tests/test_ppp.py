"""The PPP performance rewards: computed from hand-made PPP records and the region's list in the plan file; not
measurable, with the missing data named, when either is absent."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal as D
from io import StringIO
from types import SimpleNamespace
from typing import Any

import pytest
from django.core.management import call_command

from touzi.assessment.engine import assess
from touzi.assessment.period import Period
from touzi.assessment.schema import check_section
from touzi.assessment.tests.helpers import SCHEME, make_scheme
from touzi.financing.choices import PPPStage
from touzi.financing.models import PPPProject
from touzi.testing import client_for

pytestmark = pytest.mark.django_db

RULES: dict[str, Any] = {"fiscal": 40, "bond_quota": 300, "quote": "原则上……奖励40万元……300万元额度"}


def scheme_with(plan, commended: dict[int, list[str]] | None = None):
    rules = dict(RULES, commended=commended) if commended is not None else RULES
    return make_scheme(plan, {**SCHEME, "ppp_rewards": rules})


def ppp(project, added_year: int, investment: str, stage: str = PPPStage.IDENTIFY,
        joint_review_on: dt.date | None = None) -> PPPProject:
    return PPPProject.objects.create(project=project, added_year=added_year, investment=D(investment),
                                     stage=stage, joint_review_on=joint_review_on)


def test_the_reward_is_computed_from_the_records_and_the_commended_list(mini_plan, projects) -> None:
    ppp(projects["plant"], 2022, "50000", PPPStage.EXECUTE, dt.date(2022, 3, 10))
    ppp(projects["rail"], 2021, "30000", PPPStage.PROCURE, dt.date(2021, 9, 1))
    scheme = scheme_with(mini_plan, {2022: ["county-a"]})
    found = assess(scheme, Period(2022, 6)).ppp()
    assert found["measurable"] is True and found["missing"] == []
    assert found["total"] == {"commended": 1, "fiscal": 40.0, "bond_quota": 300.0}
    rows = {r["unit_key"]: r for r in found["units"]}
    a, b = rows["county-a"], rows["county-b"]
    assert (a["commended"], a["fiscal"], a["bond_quota"]) == (True, 40.0, 300.0)
    assert (b["commended"], b["fiscal"], b["bond_quota"]) == (False, 0.0, 0.0)
    assert (a["ppp_projects"], a["added"], a["added_investment"], a["joint_reviews"], a["executing"]) == (
        1, 1, 50000.0, 1, 1)
    assert a["growing"] is True
    assert (b["ppp_projects"], b["added"], b["added_previous"], b["added_investment_previous"],
            b["joint_reviews"], b["growing"]) == (1, 0, 1, 30000.0, 0, False)
    out = StringIO()
    call_command("assessment", "--year", "2022", "--month", "6", "--format", "json", stdout=out)
    assert json.loads(out.getvalue())["ppp_rewards"]["total"]["fiscal"] == 40.0


def test_not_measurable_naming_the_list_when_the_region_has_no_record_for_the_year(mini_plan, projects,
                                                                                   olive) -> None:
    ppp(projects["plant"], 2022, "50000")
    scheme = scheme_with(mini_plan, {2021: ["county-b"]})
    found = assess(scheme, Period(2022, 6)).ppp()
    assert found["measurable"] is False and found["total"] is None
    assert len(found["missing"]) == 1 and "2022年度自治区PPP工作绩效考评通报表扬的县区名单" in found["missing"][0]
    assert all(r["commended"] is None and r["fiscal"] is None for r in found["units"])
    assert found["units"][0]["added"] == 1  # the figures that are there are still shown
    page = client_for(olive).get("/assessment/?year=2022&month=6")
    assert page.status_code == 200 and "2022年度自治区PPP工作绩效考评通报表扬的县区名单" in page.text
    assert 'id="ppp-rewards"' in page.text


def test_not_measurable_naming_both_when_there_are_no_ppp_records_nor_list(mini_plan, projects) -> None:
    found = assess(scheme_with(mini_plan), Period(2022, 12)).ppp()
    assert found["measurable"] is False
    assert len(found["missing"]) == 2 and "PPP项目记录" in found["missing"][0]
    # a list without PPP records: the reward follows the list, the records are named as missing
    found = assess(scheme_with(mini_plan, {2022: ["county-b"]}), Period(2022, 12)).ppp()
    assert found["measurable"] is True and found["total"]["bond_quota"] == 300.0
    assert len(found["missing"]) == 1 and "PPP项目记录" in found["missing"][0]


def test_a_scheme_without_the_rule_names_the_rule(mini_plan) -> None:
    found = assess(make_scheme(mini_plan), Period(2022, 6)).ppp()
    assert found["measurable"] is False and "ppp_rewards" in found["missing"][0]


def test_an_unknown_unit_on_the_list_is_refused() -> None:
    spec = SimpleNamespace(unit_groups=[SimpleNamespace(key="counties")],
                           plan=SimpleNamespace(start_year=2021, end_year=2023))
    problems = check_section([{**SCHEME, "ppp_rewards": dict(RULES, commended={2022: ["nowhere"]})}], spec,
                             {"county-a", "county-b"})
    assert [p for _, p in problems] == ["未知的单位 'nowhere'"]
