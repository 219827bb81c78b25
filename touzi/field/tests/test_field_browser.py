"""In a real browser (issue 23's "done when"): the owner reports a month with two photos on a 390 px phone; the
statistics bureau bulk-accepts; the office finds a lagging project on the map — drawn with the network to the
outside world cut — and raises a 督办 with its own deadline."""

from __future__ import annotations

import datetime as dt
import os

import pytest

from touzi.testing import PASSWORD, new_project
from touzi.testing_browser import browser_page, sign_in

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SITE = (21.4811, 109.1200)


def _no_overflow(page) -> None:
    assert page.evaluate("document.scrollingElement.scrollWidth") <= page.evaluate("innerWidth"), page.url


def test_phone_report_with_photos_bulk_acceptance_and_the_offline_map(live_server, projects, oscar, stan, olive,
                                                                      tmp_path) -> None:
    from touzi.core.actor import System
    from touzi.field.models import ProgressPhoto
    from touzi.field.samples import sample_jpeg
    from touzi.field.services import set_location
    from touzi.reports.choices import ReportStatus
    from touzi.reports.models import MonthlyReport
    from touzi.supervision.models import SupervisionTask

    plant = projects["plant"]
    set_location(plant, *SITE, actor=System("test"))
    lagging = new_project("甲县久未开工项目", county="county-a", owner="owner-a", stage="reserve", lead=None,
                          planned_start=dt.date(2023, 1, 1))
    set_location(lagging, 21.46, 109.15, actor=System("test"))
    shots = []
    for i in range(2):
        path = tmp_path / f"现场{i + 1}.jpg"
        path.write_bytes(sample_jpeg(lat=SITE[0] + 0.0005 * i, lon=SITE[1], taken=dt.datetime(2023, 3, 10 + i, 9),
                                     seed=i))
        shots.append(str(path))

    with browser_page() as page:
        # the owner, on a phone
        page.set_viewport_size({"width": 390, "height": 844})
        sign_in(page, live_server.url, "oscar", PASSWORD)
        page.goto(f"{live_server.url}/reports/new/?project={plant.pk}&month=2023-03")
        _no_overflow(page)
        file_input = page.locator("#id_photos")
        assert file_input.get_attribute("capture") == "environment" and file_input.get_attribute("accept") == "image/*"
        page.fill("#id_amount", "1500")
        page.fill("#id_progress", "主体结构完成60%")
        page.set_input_files("#id_photos", shots)
        page.click("#report-form button[type=submit]")
        assert page.locator("#report-status").inner_text() == "已报送"
        assert page.locator("#report-photos li.photo").count() == 2
        assert page.locator("#report-photos .photo-flag").count() == 0  # in the month, at the site
        _no_overflow(page)
        page.click("#menu-toggle")
        page.click("header form.inline button")  # sign out

        # the statistics bureau, at a desk
        page.set_viewport_size({"width": 1440, "height": 900})
        sign_in(page, live_server.url, "stan", PASSWORD)
        page.goto(f"{live_server.url}/reports/?review=1")
        assert page.locator("input[name=reports]:checked").count() == 1
        page.check("#bulk-confirm")
        page.click("#bulk-accept")
        assert "已批量审核通过 1 份月报" in page.locator(".messages").inner_text()
        page.click("header form.inline button")

        # the office, on a government network with no way out
        page.route("**/*", lambda route: route.continue_() if route.request.url.startswith(live_server.url)
                   else route.abort())
        sign_in(page, live_server.url, "olive", PASSWORD)
        page.goto(f"{live_server.url}/field/map/?month=2023-06&colour=warning")
        page.wait_for_selector("#project-map[data-drawn]")
        assert int(page.get_attribute("#project-map", "data-drawn")) >= 1
        assert page.locator("#project-map canvas").count() >= 1
        page.select_option("#category", "red")
        page.click("form.filters button[type=submit]")
        row = page.locator("#map-list tr", has_text="甲县久未开工项目")
        row.locator("a.raise-task").click()
        page.fill("#id_required_action", "6月底前完成用地报批并开工")
        page.fill("#id_deadline", "2030-01-31")
        page.click("form.form-grid button[type=submit]")
        assert page.locator("#task-status").inner_text() == "已下发"

    report = MonthlyReport.objects.get(project=plant)
    assert report.status == ReportStatus.ACCEPTED and ProgressPhoto.objects.filter(report=report).count() == 2
    task = SupervisionTask.objects.get()
    assert (task.deadline, task.required_action, task.project) == (dt.date(2030, 1, 31), "6月底前完成用地报批并开工",
                                                                   lagging)
