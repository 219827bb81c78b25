"""A bank (金融机构) signs in to something to do: the plan's financing and overall targets with their figures, and
a note of what it can do today and what it will see later, instead of a dashboard of 0 projects. It still sees
no project and no other domain's targets."""

from __future__ import annotations

import pytest
from django.urls import reverse

from touzi.accounts.choices import Role
from touzi.plans.selectors import targets_for
from touzi.projects.selectors import visible_projects
from touzi.testing import client_for, make_user
from touzi.units.choices import UnitKind
from touzi.units.models import Unit

pytestmark = pytest.mark.django_db
NOTE = 'id="bank-note"'


@pytest.fixture
def banker(mini_plan):
    bank = Unit.objects.create(key="bank", name="某银行北海分行", name_en="Some Bank, Beihai", kind=UnitKind.BANK)
    mini_plan.units.add(bank)  # the bank takes part in the plan's financing
    return make_user("banker", Role.BANK, "bank")


def test_the_bank_home_shows_what_it_can_do_today_and_what_it_will_see(banker) -> None:
    page = client_for(banker).get(reverse("home") + "?month=2021-06")
    html = page.content.decode()
    assert page.status_code == 200 and NOTE in html
    assert "现在可以" in html and "将会看到" in html and "融资需求" in html
    assert 'data-target="county-a-funds"' in html  # a financing target, with its figures
    assert 'data-target="major-2021"' in html and 'data-target="fai-growth"' in html  # the overall targets
    assert "可见项目" not in html  # no empty dashboard of 0 projects
    assert reverse("indicator-list") in html


def test_the_bank_home_reads_in_english(banker) -> None:
    client = client_for(banker)
    client.cookies["django_language"] = "en"
    html = client.get(reverse("home")).content.decode()
    assert NOTE in html and "What you can do now" in html and "Some Bank, Beihai" in html


def test_the_bank_reads_financing_targets_but_no_project_and_no_other_domain(banker, projects) -> None:
    keys = set(targets_for(banker, banker.unit.plans.get()).values_list("key", flat=True))
    assert {"county-a-funds", "major-2021", "fai-growth"} <= keys
    assert "industry-total" not in keys  # a domain target stays with its domain
    assert not visible_projects(banker).exists()
    client = client_for(banker)
    assert client.get(reverse("monitoring-target", args=["county-a-funds"])).status_code == 200
    assert client.get(reverse("monitoring-target", args=["industry-total"])).status_code == 404
    assert client.get(reverse("project-detail", args=[projects["plant"].pk])).status_code in (403, 404)


def test_other_roles_keep_their_dashboard(banker, aaron) -> None:
    html = client_for(aaron).get(reverse("home")).content.decode()
    assert NOTE not in html and 'id="card-all"' in html
