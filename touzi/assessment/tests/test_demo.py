"""The demo: Beihai's plan file carries the schemes; the demo adds consulting firms and manual adjustments, and
the assessment of the demo city computes with every part traceable."""

from __future__ import annotations

import json
import time
from decimal import Decimal as D
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import transaction

from touzi.assessment.demo import seed as seed_assessment
from touzi.assessment.models import AssessmentScheme, ManualAdjustment
from touzi.consulting.demo import seed as seed_consulting
from touzi.consulting.figures import firm_years
from touzi.consulting.models import Evaluation
from touzi.testing import load_file


@pytest.fixture(scope="module")
def city(django_db_setup, django_db_blocker):
    from touzi.demo.portfolio import ensure_demo_portfolio

    with django_db_blocker.unblock(), transaction.atomic():
        plan = load_file(settings.DEFAULT_PLAN_FILE)
        ensure_demo_portfolio(size=200)
        started = time.monotonic()
        seeded = (seed_consulting(), seed_assessment(plan))
        yield plan, seeded, time.monotonic() - started
        transaction.set_rollback(True)


@pytest.mark.django_db
def test_the_plan_file_carries_beihais_schemes(city) -> None:
    plan, _, _ = city
    counties = AssessmentScheme.objects.get(plan=plan, key="counties")
    assert set(counties.units.values_list("key", flat=True)) >= {"haicheng", "yinhai", "tieshangang", "hepu"}
    assert counties.years == [2021, 2022, 2023]
    assert AssessmentScheme.objects.filter(plan=plan, key="bureaus").exists()


@pytest.mark.django_db
def test_the_demo_seeds_quickly_once_and_has_firms_of_several_grades(city) -> None:
    plan, (figures, adjustments), seconds = city
    assert figures > 300 and adjustments == 2 and seconds < 5
    assert (seed_consulting(), seed_assessment(plan)) == (0, 0)
    grades = {f.grade for f in firm_years(2022)}
    assert len(grades) >= 3
    assert Evaluation.objects.filter(year=2022).count() == len(firm_years(2022))
    assert ManualAdjustment.objects.filter(reason__contains="PPP").exists()


@pytest.mark.django_db
def test_the_command_on_the_demo_city(city) -> None:
    out = StringIO()
    call_command("assessment", "--year", "2022", "--format", "json", stdout=out)
    payload = json.loads(out.getvalue())
    assert payload["scheme"] == "counties" and len(payload["units"]) == 9
    for unit in payload["units"]:
        assert {p["indicator"] for p in unit["parts"]} == {
            "attainment", "new-starts", "promotion", "funds", "approvals", "supervision", "quality"}
        total = sum(D(str(p["weight"])) * D(str(p["score"])) / 100 for p in unit["parts"])
        assert abs(total + D(str(unit["bonus"])) - D(str(unit["deduction"])) - D(str(unit["score"]))) <= D("0.005")
    scores = [u["score"] for u in payload["units"]]
    assert scores == sorted(scores, reverse=True)
    hepu = next(u for u in payload["units"] if u["unit_key"] == "hepu")
    assert hepu["adjustments"] == [{"points": 1.5, "reason": "获自治区2022年度PPP工作绩效考评通报表扬"}]
    out = StringIO()
    call_command("consultants", "--year", "2022", "--format", "json", stdout=out)
    firms = json.loads(out.getvalue())["firms"]
    assert firms and all("median" in f and "deviations" in f for f in firms)


def test_the_demo_build_seeds_them() -> None:
    import inspect

    from touzi.demo import services as demo

    source = inspect.getsource(demo.ensure_demo)
    assert "seed_consulting()" in source and "seed_assessment(plan)" in source
