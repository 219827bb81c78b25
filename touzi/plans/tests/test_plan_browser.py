"""In a real browser: the plan office and a county sign in and each sees its own plan page."""

from __future__ import annotations

import os

import pytest

from touzi.testing_browser import browser_page, sign_in

# Playwright's sync API runs an event loop in this thread; the ORM calls made here are plain sync code.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(db, settings):
    from touzi.demo.services import DEMO_PASSWORD, ensure_demo

    settings.DEMO_MODE = True  # the demo accounts sign in only in demo mode
    ensure_demo(portfolio=False)
    return DEMO_PASSWORD


def test_the_plan_office_sees_every_target_of_the_beihai_plan(live_server, demo) -> None:
    from touzi.plans.models import Target

    with browser_page() as page:
        sign_in(page, live_server.url, "office", demo)
        page.click("nav >> text=目标")
        rows = page.locator("table.targets tbody tr")
        assert rows.count() == Target.objects.filter(plan__key="beihai-2021-2023").count()
        railway = page.locator("#target-railway-total")
        assert "230 亿元" in railway.inner_text()
        assert "其中铁路230亿元" in railway.locator(".quote").inner_text()
        page.click("nav >> text=任务分工")
        assert page.locator("#task-2\\.1\\.1").is_visible()
        page.click("nav >> text=工作机构")
        assert page.locator("table tbody tr").count() == 10
        # English on request, Chinese again after.
        page.click("form.lang button")
        assert page.locator("h1").first.inner_text().startswith("Working bodies")


def test_a_county_sees_only_the_targets_it_answers_for(live_server, demo) -> None:
    from touzi.plans.models import Target

    with browser_page() as page:
        sign_in(page, live_server.url, "county", demo)
        page.click("nav >> text=目标")
        rows = page.locator("table.targets tbody tr")
        total = Target.objects.filter(plan__key="beihai-2021-2023").count()
        assert 0 < rows.count() < total
        assert page.locator("#target-major-2021").is_visible()
        # The city's own preliminary-work funds are the finance bureau's and the DRC's, not a county's.
        assert page.locator("#target-prelim-funds-city").count() == 0
        assert page.locator("#target-prelim-funds-county").is_visible()
        assert "合浦县" in page.locator("header .who").inner_text()
