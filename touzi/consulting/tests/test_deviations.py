"""Deviation figures on hand-made projects, the firms' figures and grades, scoping and the command."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal as D
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command

from touzi.consulting.choices import Grade
from touzi.consulting.figures import deviation, deviations, firm_years
from touzi.consulting.models import Engagement, Evaluation, Firm, StageFigure
from touzi.consulting.services import add_engagement, add_firm, publish_evaluation, set_stage_figure
from touzi.core.actor import System
from touzi.core.scoping import Action, scope
from touzi.lib.errors import Forbidden

pytestmark = pytest.mark.django_db
SYS = System("test")


@pytest.fixture
def firms(mini_plan):
    return add_firm("甲咨询公司", actor=SYS), add_firm("乙设计院", actor=SYS)


@pytest.fixture
def staged(projects, firms):
    a, b = firms
    plant, rail, park = projects["plant"], projects["rail"], projects["park"]
    set_stage_figure(plant, "estimate", D("10000"), dated=dt.date(2021, 3, 1), firm=a, actor=SYS)
    set_stage_figure(plant, "budget_estimate", D("11500"), dated=dt.date(2022, 2, 1), firm=b, actor=SYS)  # +15%
    set_stage_figure(plant, "final", D("11270"), dated=dt.date(2022, 11, 1), actor=SYS)  # −2% of 概算 (no 预算)
    set_stage_figure(rail, "estimate", D("50000"), dated=dt.date(2021, 6, 1), firm=a, actor=SYS)
    set_stage_figure(rail, "budget_estimate", D("52000"), dated=dt.date(2022, 5, 1), firm=b, actor=SYS)  # +4%
    set_stage_figure(park, "estimate", D("8000"), dated=dt.date(2021, 6, 1), firm=a, actor=SYS)
    set_stage_figure(park, "budget_estimate", D("7000"), dated=dt.date(2022, 8, 1), actor=SYS)  # −12.5%
    add_engagement(a, plant, "feasibility", contracted_on=dt.date(2022, 1, 1), due_on=dt.date(2022, 3, 1),
                   delivered_on=dt.date(2022, 3, 20), actor=SYS)
    add_engagement(a, rail, "feasibility", contracted_on=dt.date(2022, 1, 1), due_on=dt.date(2022, 6, 1),
                   delivered_on=dt.date(2022, 5, 20), actor=SYS)
    add_engagement(b, rail, "design", contracted_on=dt.date(2022, 1, 1), due_on=dt.date(2022, 9, 1), actor=SYS)
    return projects


def test_each_stage_is_measured_against_the_latest_earlier_one(staged) -> None:
    rows: dict[tuple[str, str], Any] = {(r.project.name, r.stage): r for r in deviations().select_related("project")}
    plant = staged["plant"].name
    assert rows[(plant, "budget_estimate")].earlier_stage == "estimate"
    one = rows[(plant, "budget_estimate")]
    assert deviation(one.amount, one.earlier_amount) == D("15.00")
    assert rows[(plant, "final")].earlier_stage == "budget_estimate"
    last = rows[(plant, "final")]
    assert deviation(last.amount, last.earlier_amount) == D("-2.00")
    assert (plant, "estimate") not in rows  # the first stage has nothing to be measured against


def test_a_deviation_counts_for_the_firm_of_the_earlier_figure(staged, firms) -> None:
    a, b = firms
    found = {f.firm: f for f in firm_years(2022, today=dt.date(2023, 3, 1))}
    first, second = found[a], found[b]
    assert sorted(first.values) == [D("-12.50"), D("4.00"), D("15.00")]
    assert first.median == D("4.00") and first.spread == D("27.50")
    assert first.beyond == 2 and first.beyond_share == D("66.67")
    assert (first.engagements, first.late) == (2, 1)  # delivered 19 days late
    assert first.grade == Grade.FAIL
    assert second.values == [D("-2.00")] and second.median == D("-2.00") and second.beyond_share == 0
    assert (second.engagements, second.late) == (1, 1)  # due 2022-09-01, not delivered by the year's end
    assert second.grade == Grade.GOOD
    assert firm_years(2021) == []  # no later stage dated 2021, no engagement due


def test_the_evaluation_is_published_and_frozen(staged, firms) -> None:
    a, _ = firms
    publish_evaluation(2022, actor=SYS)
    assert Evaluation.objects.get(firm=a, year=2022).grade == Grade.FAIL
    StageFigure.objects.filter(stage="budget_estimate").delete()
    assert Evaluation.objects.get(firm=a, year=2022).figures["median"] == 4.0


def test_only_the_office_keeps_the_register_and_project_rows_follow_the_project(staged, firms, olive, aaron,
                                                                                bella) -> None:
    with pytest.raises(Forbidden):
        add_firm("丙公司", actor=aaron)
    add_firm("丙公司", actor=olive)
    plant = staged["plant"]
    assert scope(aaron, StageFigure.objects.filter(project=plant)).count() == 3
    assert scope(bella, StageFigure.objects.filter(project=plant)).count() == 0
    assert not scope(aaron, Engagement.objects.all(), Action.CHANGE).exists()


def test_the_command_prints_the_firms_with_their_deviations(staged) -> None:
    out = StringIO()
    call_command("consultants", "--year", "2022", "--format", "json", stdout=out)
    payload = json.loads(out.getvalue())
    first = next(f for f in payload["firms"] if f["firm"] == "甲咨询公司")
    assert first["median"] == 4.0 and first["beyond_10_share"] == 66.67
    assert {(d["from_stage"], d["to_stage"], d["deviation"]) for d in first["deviations"]} == {
        ("estimate", "budget_estimate", 15.0), ("estimate", "budget_estimate", 4.0),
        ("estimate", "budget_estimate", -12.5)}


def test_the_office_enters_firms_engagements_and_stage_figures_on_the_pages(projects, olive, aaron) -> None:
    from touzi.testing import client_for

    client = client_for(olive)
    response = client.post("/consulting/firms/new/", {"name": "丁咨询公司", "credit_grade": "甲级"})
    firm = Firm.objects.get(name="丁咨询公司")
    assert response.status_code == 302 and response["Location"] == f"/consulting/firms/{firm.pk}/"
    code = projects["plant"].code
    client.post(f"/consulting/firms/{firm.pk}/engagements/", {
        "project": code, "kind": "feasibility", "contracted_on": "2022-01-01", "due_on": "2022-03-01"})
    client.post(f"/consulting/firms/{firm.pk}/stages/", {
        "project": code, "stage": "estimate", "amount": "40000", "dated": "2022-02-01", "document": "北发改〔2022〕1号"})
    set_stage_figure(projects["plant"], "budget_estimate", D("46000"), dated=dt.date(2022, 9, 1), actor=SYS)
    [entry] = firm_years(2022, today=dt.date(2022, 12, 31))
    assert entry.values == [D("15.00")] and (entry.engagements, entry.late) == (1, 1)
    page = client_for(aaron).get(f"/consulting/firms/{firm.pk}/?year=2022")
    assert page.status_code == 200 and "15.00" in page.text and "登记咨询委托" not in page.text
    assert client_for(aaron).post("/consulting/firms/new/", {"name": "戊公司"}).status_code == 403


def test_the_evaluation_opens_on_the_latest_reported_year_on_the_page_and_in_the_api(staged, olive) -> None:
    """A finished plan (or the demo) reported up to 2022: without ?year the page and the API show 2022's firms,
    not an empty list for the calendar year."""
    from touzi.testing import accepted_report, client_for

    accepted_report(staged["plant"], "2022-11", "100")
    client = client_for(olive)
    page = client.get("/consulting/")
    assert page.status_code == 200 and page.context["year"] == 2022 and "甲咨询公司" in page.text
    api = client.get("/api/v1/consulting/evaluation").json()
    assert api["year"] == 2022 and "甲咨询公司" in {f["firm"] for f in api["firms"]}
