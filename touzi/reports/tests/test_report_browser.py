"""In a real browser: the owner submits a month with evidence, the bureau returns it, the owner corrects and
resubmits, the bureau accepts, the office locks the month."""

from __future__ import annotations

import os

import pytest

from touzi.testing import PASSWORD
from touzi.testing_browser import browser_page, sign_in

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_submit_return_correct_accept_lock(live_server, projects, oscar, stan, olive, tmp_path) -> None:
    from touzi.reports.choices import ReportStatus
    from touzi.reports.models import MonthLock, MonthlyReport

    evidence = tmp_path / "现场照片.pdf"
    evidence.write_bytes(b"%PDF-1.4\n%%EOF\n")
    plant = projects["plant"]
    with browser_page() as page:
        sign_in(page, live_server.url, "oscar", PASSWORD)
        page.goto(f"{live_server.url}/reports/new/?project={plant.pk}")
        page.fill("#id_month", "2023-03")
        page.fill("#id_amount", "1500")
        page.fill("#id_progress", "主体结构完成60%")
        page.set_input_files("#id_evidence", str(evidence))
        page.click("form.form-grid button[type=submit]")
        assert page.locator("#report-status").inner_text() == "已报送"
        assert "现场照片.pdf" in page.locator("#evidence").inner_text()
        report_url = page.url
        page.click("header form.inline button")  # sign out

        sign_in(page, live_server.url, "stan", PASSWORD)
        page.goto(report_url)
        page.fill("#id_reason", "金额与佐证材料不符")
        page.click("#review-form button[value=return]")
        assert page.locator("#report-status").inner_text() == "已退回"
        page.click("header form.inline button")

        sign_in(page, live_server.url, "oscar", PASSWORD)
        page.goto(report_url)
        assert "金额与佐证材料不符" in page.locator("#return-reason").inner_text()
        page.fill("#correct-form #id_amount", "1450")
        page.click("#correct-form button[type=submit]")
        assert page.locator("#report-status").inner_text() == "已报送"
        page.click("header form.inline button")

        sign_in(page, live_server.url, "stan", PASSWORD)
        page.goto(report_url)
        page.click("#review-form button[value=accept]")
        assert page.locator("#report-status").inner_text() == "已审核"
        page.click("header form.inline button")

        sign_in(page, live_server.url, "olive", PASSWORD)
        page.goto(f"{live_server.url}/reports/months/")
        page.click("tr[data-month='2023-03'] button")
        assert "已锁定" in page.locator("tr[data-month='2023-03']").inner_text()

    report = MonthlyReport.objects.get(project=plant)
    assert (report.status, report.amount) == (ReportStatus.ACCEPTED, 1450)
    assert MonthLock.objects.filter(month__year=2023, month__month=3).exists()
