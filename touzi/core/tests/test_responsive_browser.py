"""In a real browser: no page of any role is wider than a 390 px phone, nor than a 1440 px desk screen, in Chinese
and (at 1440 px) in English.

One test walks them all (CI time): for each persona — the business roles, the bank, an approver and the three
administrators (who sign in with their TOTP code) — every page its menu offers plus the pages one step deeper (a
project, a report, the report form, a 督办 form, a location), at 390 px and at 1440 px; then the user switches to
English with the header's button and the same pages are walked again at 1440 px, the menu showing no Chinese. The
narrow menu collapses behind its button and the name and 退出 stay on screen. With TOUZI_SCREENSHOTS=<dir> every
English page is saved there as a PNG for a person to read.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from decimal import Decimal
from pathlib import Path

import pytest

from touzi.testing import PASSWORD
from touzi.testing_browser import browser_page

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDE = """() => Array.from(document.querySelectorAll('body *')).filter(e => e.getBoundingClientRect().right >
  innerWidth + 1).slice(0, 5).map(e => e.tagName + '.' + e.className)"""
CJK = re.compile(r"[\u3400-\u9fff]")
ADMINS = {"sam", "sue", "ada"}


def _sign_in(page, base_url: str, username: str) -> None:
    """The password, then for an administrator the current TOTP code of the device the test gave them."""
    from django_otp.oath import TOTP
    from django_otp.plugins.otp_totp.models import TOTPDevice

    page.goto(f"{base_url}/accounts/login/", timeout=60000)  # the first request loads every URL module
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("form.login button[type=submit]")
    if username in ADMINS:
        page.wait_for_url("**/accounts/login/code/**")
        device = TOTPDevice.objects.get(user__username=username)
        code = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token()
        page.fill("#id_code", f"{code:06d}")
        page.click("#otp-form button[type=submit]")
    page.wait_for_url(f"{base_url}/")


def test_every_page_of_every_role_fits_a_phone_and_a_desk(live_server, projects, olive, aaron, ian, stan, oscar,
                                                          gina, banker, abe, sam, secadmin, ada) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from touzi.core.actor import System
    from touzi.field.samples import sample_jpeg
    from touzi.field.services import add_photo, set_location
    from touzi.reports.services import report_month

    for admin in (sam, secadmin, ada):
        TOTPDevice.objects.create(user=admin, name="totp", confirmed=True)
    plant = projects["plant"]
    set_location(plant, 21.48, 109.12, actor=System("test"))
    report = report_month(plant, dt.date(2023, 3, 1), Decimal("100"), progress="进行中", actor=oscar)
    add_photo(plant, SimpleUploadedFile("p.jpg", sample_jpeg(lat=21.48, lon=109.12), "image/jpeg"), actor=oscar,
              report=report)
    deeper = [f"/projects/{plant.pk}/", f"/reports/{report.pk}/", f"/field/photos/?project={plant.pk}"]
    by_role = {"olive": ["/supervision/new/", "/field/map/", "/reports/months/"],
               "aaron": [f"/reports/new/?project={plant.pk}", f"/field/projects/{plant.pk}/location/"],
               "oscar": [f"/reports/new/?project={plant.pk}", "/field/"],
               "stan": ["/reports/?review=1"], "ian": [], "gina": [], "banker": [], "abe": [],
               "sam": ["/accounts/users/new/"], "sue": [], "ada": []}
    shots = Path(os.environ["TOUZI_SCREENSHOTS"]) if os.environ.get("TOUZI_SCREENSHOTS") else None
    problems: list[str] = []
    with browser_page() as page:
        for username, extra in by_role.items():
            page.context.clear_cookies()  # Chinese, the default, for each user
            page.set_viewport_size({"width": 390, "height": 844})
            _sign_in(page, live_server.url, username)
            # name and 退出 on screen, the menu behind its button until opened
            assert page.locator("header .who").is_visible() and page.locator("header form.inline button").last.is_visible()
            assert not page.locator("#main-nav").is_visible()
            page.click("#menu-toggle")
            assert page.locator("#main-nav").is_visible()
            links = page.eval_on_selector_all("#main-nav a", "els => els.map(e => e.getAttribute('href'))")
            sees_plant = username not in ADMINS | {"banker", "abe"}  # the bank and the approver see none of it
            pages = list(dict.fromkeys([*links, *(deeper if sees_plant else []), *extra]))
            for width, language in ((390, "zh"), (1440, "zh"), (1440, "en")):
                page.set_viewport_size({"width": width, "height": 900})
                if language == "en":
                    page.goto(f"{live_server.url}/")
                    page.click("form.lang button[value=en]")
                    page.wait_for_selector("html[lang=en]")
                for href in pages:
                    response = page.goto(f"{live_server.url}{href}")
                    assert response is not None
                    if response.status != 200:
                        problems.append(f"{username} {href}: HTTP {response.status}")
                        continue
                    if page.evaluate("document.scrollingElement.scrollWidth") > width:
                        problems.append(f"{username} {width}px {language} {href}: {page.evaluate(WIDE)}")
                    if language == "en":
                        menu = page.inner_text("#main-nav")
                        if CJK.search(menu):
                            problems.append(f"{username} en {href}: menu not in English: {menu!r}")
                        if shots is not None:
                            shots.mkdir(parents=True, exist_ok=True)
                            name = re.sub(r"[^A-Za-z0-9]+", "_", href).strip("_") or "home"
                            page.screenshot(path=str(shots / f"{username}-{name}.png"), full_page=True)
            page.locator("header form.inline button").last.click()  # sign out
    assert problems == [], "\n".join(problems)
