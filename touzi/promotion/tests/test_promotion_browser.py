"""In a real browser: a county registers an agreement it signed and reports its first funds arrived."""

from __future__ import annotations

import os
from decimal import Decimal

import pytest

from touzi.testing import PASSWORD
from touzi.testing_browser import browser_page, sign_in

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_county_enters_an_agreement_and_its_first_funds(live_server, mini_plan, aaron) -> None:
    from touzi.promotion.models import Agreement, FundsReport

    with browser_page() as page:
        sign_in(page, live_server.url, "aaron", PASSWORD)
        page.goto(f"{live_server.url}/promotion/")
        page.click("a[href='/promotion/new/']")
        page.fill("#id_name", "甲县海洋装备制造基地")
        page.fill("#id_investor", "深圳某海工集团有限公司")
        page.select_option("#id_investor_kind", "private")
        page.fill("#id_investor_region", "广东")
        page.fill("#id_sector", "C37")
        page.fill("#id_signed_on", "2023-03-18")
        page.fill("#id_new_event", "2023年一季度集中签约")
        page.fill("#id_agreed_investment", "50000")
        page.fill("#id_due_start", "2023-09-01")
        page.fill("#id_due_production", "2024-12-01")
        page.click("#agreement-form button[type=submit]")
        page.wait_for_selector("#funds-form")
        assert "甲县海洋装备制造基地" in page.locator("h1").inner_text()
        page.fill("#id_month", "2023-05")
        page.fill("#id_domestic", "1200")
        page.click("#funds-form button[type=submit]")
        page.wait_for_selector("text=到位资金已报送")
        assert "1,200" in page.content()
    agreement = Agreement.objects.get()
    assert agreement.county.key == "county-a" and agreement.event.name == "2023年一季度集中签约"
    report = FundsReport.objects.get()
    assert report.agreement == agreement and report.total == Decimal("1200") and report.status == "submitted"
