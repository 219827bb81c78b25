"""The dashboard cache: shared by users of one scope, and never stale after a business act is committed."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from touzi.monitoring import cache as dashboard_cache
from touzi.reports.services import accept_report, report_month
from touzi.testing import client_for

pytestmark = pytest.mark.django_db
JUNE = "2021-06"


@pytest.fixture
def cache_on(settings):
    settings.DASHBOARD_CACHE_SECONDS = 600
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def listed(projects):
    """The three projects on 2021's major-project list, which the headline target counts."""
    from touzi.plans.models import Collection
    from touzi.projects.models import Membership

    major = Collection.objects.get(key="major-list")
    for p in projects.values():
        Membership.objects.create(project=p, collection=major, year=2021)
    return projects


def _major(user) -> str:
    body = client_for(user).get(f"/api/v1/plans/mini/dashboard?period={JUNE}").json()
    return next(t for t in body["targets"] if t["key"] == "major-2021")["value"]


def _ytd(user) -> Decimal:
    """The year-to-date card: the projects the user may see (an overall target counts the whole plan)."""
    body = client_for(user).get(f"/api/v1/plans/mini/dashboard?period={JUNE}").json()
    return Decimal(body["cards"]["ytd"])


def _accepted(project, amount: str, oscar, stan, month: dt.date = dt.date(2021, 6, 1)):
    report = report_month(project, month, Decimal(amount), actor=oscar)
    return accept_report(report, actor=stan)


def test_a_second_request_is_served_from_the_cache(cache_on, listed, olive) -> None:
    client = client_for(olive)
    url = f"/?month={JUNE}"
    with CaptureQueriesContext(connection) as first:
        assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as second:
        assert client.get(url).status_code == 200
    assert len(second) < len(first) / 2, (len(first), len(second))


def test_an_accepted_report_shows_at_once(cache_on, listed, olive, oscar, stan) -> None:
    assert _major(olive) == "0"
    assert _major(olive) == "0"  # now cached
    _accepted(listed["plant"], "3000", oscar, stan)
    assert _major(olive) == "0.3"  # 3,000 万元 in 亿元, not the cached 0


def test_a_correction_shows_at_once(cache_on, listed, olive, oscar, stan) -> None:
    from touzi.reports.services import return_report

    _accepted(listed["plant"], "3000", oscar, stan)
    assert _major(olive) == "0.3"
    # A returned report corrected by its owner and accepted again.
    may = report_month(listed["plant"], dt.date(2021, 5, 1), Decimal("1000"), actor=oscar)
    return_report(may, "数字有误", actor=stan)
    assert _major(olive) == "0.3"
    corrected = report_month(listed["plant"], dt.date(2021, 5, 1), Decimal("2000"), actor=oscar,
                             expected_version=may.version + 1)
    accept_report(corrected, actor=stan)
    assert _major(olive) == "0.5"


def test_users_of_one_scope_share_an_entry_and_other_scopes_do_not(cache_on, listed, olive, aaron, bella, oscar,
                                                                   stan) -> None:
    from touzi.accounts.choices import Role
    from touzi.plans.models import Plan
    from touzi.testing import make_user

    _accepted(listed["plant"], "3000", oscar, stan)
    assert _ytd(aaron) == _ytd(aaron) == 3000
    assert _ytd(bella) == 0  # county B has none of county A's projects: not county A's cached cards
    colleague = make_user("aaron2", Role.COUNTY, "county-a")
    plan, june = Plan.objects.get(key="mini"), dt.date(2021, 6, 1)
    key = dashboard_cache.cache_key(aaron, plan, june, with_alerts=True, version="v")
    assert key == dashboard_cache.cache_key(colleague, plan, june, with_alerts=True, version="v")
    assert key != dashboard_cache.cache_key(bella, plan, june, with_alerts=True, version="v")
    assert key != dashboard_cache.cache_key(aaron, plan, june, with_alerts=True, version="w")
    # Those who see everything see the same dashboard, whatever their role.
    assert dashboard_cache.cache_key(olive, plan, june, with_alerts=True, version="v") == \
        dashboard_cache.cache_key(stan, plan, june, with_alerts=True, version="v")


def test_a_cache_that_is_down_does_not_take_the_dashboard_with_it(cache_on, listed, olive, monkeypatch) -> None:
    def broken(*args, **kwargs):
        raise ConnectionError("redis is down")

    monkeypatch.setattr(cache, "get", broken)
    monkeypatch.setattr(cache, "set", broken)
    assert client_for(olive).get(f"/?month={JUNE}").status_code == 200


def test_signing_in_keeps_the_cache_and_a_change_does_not(cache_on, listed, olive, oscar, stan) -> None:
    from touzi.audit.choices import Event
    from touzi.audit.services import record

    before = dashboard_cache.data_version()
    client_for(None).post("/accounts/login/", {"username": "olive", "password": "wrong"})
    with transaction.atomic():
        record(Event.SIGN_IN, actor=olive, obj=olive)
    assert dashboard_cache.data_version() == before
    _accepted(listed["plant"], "3000", oscar, stan)
    assert dashboard_cache.data_version() != before


def test_the_cached_page_shows_an_accepted_report_at_once(cache_on, listed, olive, oscar, stan) -> None:
    def card() -> str:
        html = client_for(olive).get(f"/?month={JUNE}").content.decode()
        return html.split('id="card-ytd">')[1].split("<")[0]

    before = card()
    assert card() == before  # served from the cached page figures
    _accepted(listed["plant"], "3000", oscar, stan)
    assert card() != before


def test_the_page_reads_a_small_entry_and_renders_the_figures_from_the_full_board(cache_on, listed, olive) -> None:
    # Unpickling the figures on every request cost as much as the rest of the page: its entry leaves them out.
    from django.utils import translation

    from touzi.plans.models import Plan

    client = client_for(olive)
    first = client.get(f"/?month={JUNE}").content.decode()
    assert 'data-target="major-2021"' in first and 'id="card-ytd"' in first
    with translation.override("zh-hans"):
        key, slim, _, _ = dashboard_cache.dashboard_page(olive, Plan.objects.get(key="mini"), dt.date(2021, 6, 1))
    assert key and slim.figures == [] and slim.headline is None and not slim.breakdowns
    cache.delete(key + ":html")  # the rendered figures gone, the page's entry still there
    again = client.get(f"/?month={JUNE}").content.decode()
    assert 'data-target="major-2021"' in again
    assert again.split('id="card-ytd">')[1].split("<")[0] == first.split('id="card-ytd">')[1].split("<")[0]
