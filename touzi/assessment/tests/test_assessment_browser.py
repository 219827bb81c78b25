"""In a real browser: the office records a manual adjustment on the scoreboard and a county, on a phone-sized
screen, reads its breakdown and follows a point to the records behind it, without the page overflowing."""

from __future__ import annotations

import datetime as dt
import os

import pytest

from touzi.testing import PASSWORD
from touzi.testing_browser import browser_page, sign_in

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_office_adjusts_and_a_county_follows_its_points_to_the_records(live_server, mini_plan, projects,
                                                                           olive, aaron) -> None:
    from touzi.assessment.models import ManualAdjustment
    from touzi.assessment.tests.helpers import annual_plan, make_scheme, report, task

    make_scheme(mini_plan)
    annual_plan(projects["plant"], 2022, "12000")
    report(projects["plant"], "2022-06", "7200")
    task(mini_plan, "county-a", dt.date(2022, 5, 31), None)
    query = "?year=2022&month=6"
    with browser_page() as page:
        sign_in(page, live_server.url, "olive", PASSWORD)
        page.goto(f"{live_server.url}/assessment/{query}")
        page.select_option("#id_unit", label="甲县")
        page.fill("#id_points", "1.5")
        page.fill("#id_reason", "获自治区通报表扬")
        page.click("form.form-grid button[type=submit]")
        page.wait_for_selector("text=人工调整已记录")
        assert "获自治区通报表扬" in page.locator("#scoreboard").inner_text()
    assert ManualAdjustment.objects.get().points == 1.5
    with browser_page() as page:
        page.set_viewport_size({"width": 390, "height": 800})
        sign_in(page, live_server.url, "aaron", PASSWORD)
        page.goto(f"{live_server.url}/assessment/counties/county-a/{query}")
        assert "列第 1 名" in page.locator("main").inner_text() or "列第 1 名" in page.content()
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        page.click("a[href*='/supervision_overdue/']")
        page.wait_for_selector("#records")
        assert "进度滞后" in page.locator("#records").inner_text()
