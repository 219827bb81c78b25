"""In a real browser: a bank takes a published need through to a loan, which then appears in the project's
arrived funds (the owner's view of the project's money)."""

from __future__ import annotations

import datetime as dt
import os
from decimal import Decimal

import pytest

from touzi.testing import PASSWORD
from touzi.testing_browser import browser_page, sign_in

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_bank_takes_a_need_to_a_loan_that_arrives_in_the_project_funds(live_server, projects, oscar,
                                                                         banker, aaron) -> None:
    from touzi.financing.models import FundsArrival, Loan
    from touzi.financing.services import publish_need

    plant = projects["plant"]
    need = publish_need(plant, amount=Decimal("5000"), term_months=36, kind="fixed_asset_loan",
                        contact="甲公司 张工 0779-1234567", purpose="购置生产设备", pledge="厂房抵押",
                        published_on=dt.date(2023, 1, 5), actor=oscar)
    with browser_page() as page:
        sign_in(page, live_server.url, "banker", PASSWORD)
        page.goto(f"{live_server.url}/financing/needs/")
        page.click(f"tr[data-need='{need.pk}'] a")
        page.wait_for_selector("#step-form")
        for kind, amount in (("contact", ""), ("diligence", ""), ("credit", "5000"), ("loan", "4000")):
            page.select_option("#step-kind", kind)
            page.fill("#step-amount", amount)
            page.click("#step-form button[type=submit]")
            page.wait_for_selector(f"tr[data-step='{kind}']")
        assert "已放款" in page.locator("h1").inner_text()
        page.context.clear_cookies()
        sign_in(page, live_server.url, "aaron", PASSWORD)
        page.goto(f"{live_server.url}/financing/projects/{plant.pk}/")
        row = page.locator("#project-sources tr[data-source='bank_loans'] .arrived").inner_text()
        assert row == "4,000.00"
        assert "甲银行北海分行" in page.locator("#arrivals").inner_text()
    loan = Loan.objects.get()
    assert loan.need == need and loan.amount == Decimal("4000")
    assert FundsArrival.objects.get(loan=loan).status == "accepted"
