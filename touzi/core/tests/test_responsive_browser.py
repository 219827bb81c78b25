"""In a real browser: no page of any role is wider than a 390 px phone, nor than a 1440 px desk screen.

One test walks them all (CI time): for each business persona, every page its menu offers plus the pages one step
deeper (a project, a report, the report form, a 督办 form, a location), at 390 px and at 1440 px. The narrow
menu collapses behind its button and the name and 退出 stay on screen.
"""

from __future__ import annotations

import datetime as dt
import os
from decimal import Decimal

import pytest

from touzi.testing import PASSWORD
from touzi.testing_browser import browser_page, sign_in

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDE = """() => Array.from(document.querySelectorAll('body *')).filter(e => e.getBoundingClientRect().right >
  innerWidth + 1).slice(0, 5).map(e => e.tagName + '.' + e.className)"""


def test_every_page_of_every_role_fits_a_phone_and_a_desk(live_server, projects, olive, aaron, ian, stan, oscar,
                                                          gina) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from touzi.core.actor import System
    from touzi.field.samples import sample_jpeg
    from touzi.field.services import add_photo, set_location
    from touzi.reports.services import report_month

    plant = projects["plant"]
    set_location(plant, 21.48, 109.12, actor=System("test"))
    report = report_month(plant, dt.date(2023, 3, 1), Decimal("100"), progress="进行中", actor=oscar)
    add_photo(plant, SimpleUploadedFile("p.jpg", sample_jpeg(lat=21.48, lon=109.12), "image/jpeg"), actor=oscar,
              report=report)
    deeper = [f"/projects/{plant.pk}/", f"/reports/{report.pk}/", f"/field/photos/?project={plant.pk}"]
    by_role = {"olive": ["/supervision/new/", "/field/map/", "/reports/months/"],
               "aaron": [f"/reports/new/?project={plant.pk}", f"/field/projects/{plant.pk}/location/"],
               "oscar": [f"/reports/new/?project={plant.pk}", "/field/"],
               "stan": ["/reports/?review=1"], "ian": [], "gina": []}
    problems: list[str] = []
    with browser_page() as page:
        for username, extra in by_role.items():
            page.set_viewport_size({"width": 390, "height": 844})
            sign_in(page, live_server.url, username, PASSWORD)
            # name and 退出 on screen, the menu behind its button until opened
            assert page.locator("header .who").is_visible() and page.locator("header form.inline button").last.is_visible()
            assert not page.locator("#main-nav").is_visible()
            page.click("#menu-toggle")
            assert page.locator("#main-nav").is_visible()
            links = page.eval_on_selector_all("#main-nav a", "els => els.map(e => e.getAttribute('href'))")
            pages = list(dict.fromkeys([*links, *deeper, *extra]))
            for width in (390, 1440):
                page.set_viewport_size({"width": width, "height": 900})
                for href in pages:
                    response = page.goto(f"{live_server.url}{href}")
                    assert response is not None
                    if response.status != 200:
                        problems.append(f"{username} {href}: HTTP {response.status}")
                        continue
                    if page.evaluate("document.scrollingElement.scrollWidth") > width:
                        problems.append(f"{username} {width}px {href}: {page.evaluate(WIDE)}")
            page.locator("header form.inline button").last.click()  # sign out
    assert problems == []
