"""In a real browser: a demo administrator signs in, enrols TOTP from the QR page and reaches their area."""

from __future__ import annotations

import os

import pytest

from touzi.testing_browser import browser_page

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_demo_administrator_enrols_totp_at_first_sign_in(live_server, settings) -> None:
    from django_otp.oath import TOTP
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from touzi.demo.services import DEMO_PASSWORD, ensure_demo

    settings.DEMO_MODE = True
    ensure_demo(portfolio=False)
    with browser_page() as page:
        # The live server's first request loads every URL module: slow on a busy machine.
        page.goto(f"{live_server.url}/accounts/login/", timeout=60000)
        page.fill("#id_username", "sysadmin")
        page.fill("#id_password", DEMO_PASSWORD)
        page.click("form.login button[type=submit]")
        page.wait_for_url("**/accounts/me/otp/**")
        assert page.locator("#otp-qr svg").is_visible()
        assert len(page.locator("#otp-secret").inner_text().replace(" ", "")) == 32
        device = TOTPDevice.objects.get(user__username="sysadmin")
        code = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token()
        page.fill("#id_code", f"{code:06d}")
        page.click("#otp-setup-form button[type=submit]")
        page.click("nav >> text=账号管理")
        assert page.locator("#users tr[data-user='office']").is_visible()
