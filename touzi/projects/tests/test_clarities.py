"""The five clarities (五明确) of a year, computed in the database: each rule, the real-estate exemption, and a
query that asks each subquery once per row (the project list computes them for every row of a page).

These tests write the rows directly, as a bulk load would, then rewrite the stored flags
(`refresh_clarities`) before reading: the rules are tested here, the services keeping the flags in
test_clarity_flags.py."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from touzi.projects.clarities import refresh_clarities
from touzi.projects.models import AnnualPlan, FundingLine, KeyApproval, Project
from touzi.projects.selectors import CLARITY_FIELDS, with_clarities
from touzi.testing import new_project

pytestmark = pytest.mark.django_db


def _flags(project: Project, year: int = 2023) -> dict[str, bool]:
    refresh_clarities([project.pk])
    row = with_clarities(Project.objects.filter(pk=project.pk), year).get()
    return {name: getattr(row, name) for name in CLARITY_FIELDS.values()}


def _clear(**values) -> Project:
    """A project with all five clear for 2023: funding equal to the total, no farmland, a plan, an approval."""
    p = new_project(values.pop("name", "清楚"), county="county-a", owner="owner-a", total="1000", **values)
    FundingLine.objects.filter(project=p).delete()
    FundingLine.objects.create(project=p, source="fiscal", amount=Decimal("600"))
    FundingLine.objects.create(project=p, source="special_bonds", amount=Decimal("400"))
    AnnualPlan.objects.update_or_create(project=p, year=2023, defaults={"planned_investment": Decimal("300"),
                                                                        "progress_target": "主体完工"})
    KeyApproval.objects.filter(project=p).delete()
    KeyApproval.objects.create(project=p, item="land", deadline=dt.date(2023, 9, 30))
    return p


def test_a_project_with_everything_in_place_is_clear_on_all_five(owners) -> None:
    assert _flags(_clear()) == dict.fromkeys(CLARITY_FIELDS.values(), True)


def test_funding_is_clear_only_when_the_lines_reach_the_total(owners) -> None:
    p = _clear()
    FundingLine.objects.filter(project=p, source="special_bonds").update(amount=Decimal("399.9999"))
    assert _flags(p)["clear_funding"] is False
    FundingLine.objects.filter(project=p).delete()
    assert _flags(p)["clear_funding"] is False  # no lines at all
    FundingLine.objects.create(project=p, source="fiscal", amount=Decimal("1200"))
    assert _flags(p)["clear_funding"] is True  # more than the total is enough


def test_farmland_needs_a_plan_only_when_the_project_occupies_farmland(owners) -> None:
    p = _clear()
    Project.objects.filter(pk=p.pk).update(occupies_farmland=True)
    assert _flags(p)["clear_farmland"] is False
    Project.objects.filter(pk=p.pk).update(farmland_plan="异地补充耕地")
    assert _flags(p)["clear_farmland"] is True


def test_progress_and_investment_come_from_that_years_plan(owners) -> None:
    p = _clear()
    assert _flags(p, 2024)["clear_progress"] is False and _flags(p, 2024)["clear_investment"] is False
    AnnualPlan.objects.filter(project=p, year=2023).update(progress_target="", planned_investment=None)
    flags = _flags(p)
    assert flags["clear_progress"] is False and flags["clear_investment"] is False


def test_approvals_are_clear_when_each_has_a_deadline_or_is_done(owners) -> None:
    p = _clear()
    open_one = KeyApproval.objects.create(project=p, item="environment")
    assert _flags(p)["clear_approvals"] is False
    KeyApproval.objects.filter(pk=open_one.pk).update(done_on=dt.date(2023, 3, 1))
    assert _flags(p)["clear_approvals"] is True
    KeyApproval.objects.filter(project=p).delete()
    assert _flags(p)["clear_approvals"] is False  # none at all


def test_real_estate_is_exempt_from_all_five(owners) -> None:
    p = new_project("房地产", county="county-a", owner="owner-a", is_real_estate=True, occupies_farmland=True)
    FundingLine.objects.filter(project=p).delete()
    assert _flags(p) == dict.fromkeys(CLARITY_FIELDS.values(), True)


def test_the_annual_plan_is_joined_once_and_funding_and_approvals_are_stored(owners) -> None:
    # Annotating helpers and then flags on them made Django copy each subquery into every flag naming it.
    sql = str(with_clarities(Project.objects.all(), 2023).query)
    # Progress and investment read the year's annual plan joined once, not a subquery per flag.
    assert sql.count('JOIN "projects_annualplan"') == 1
    assert 'FROM "projects_annualplan"' not in sql
    # Funding and approvals are flags on the project row: no subquery over their tables per project.
    assert 'FROM "projects_keyapproval"' not in sql
    assert 'FROM "projects_fundingline"' not in sql
