"""Playwright with Debian's chromium, for the browser tests (never a downloaded browser).

No pytest here: whether a missing chromium skips or fails a test is decided by the `browser` marker's
fixture in touzi/conftest.py; this module raises `ChromiumMissing` if it is reached anyway.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

CHROMIUM_ARGS = ["--no-sandbox", "--disable-background-networking", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-component-update", "--no-first-run"]
MISSING = "chromium is not installed (apt-get install chromium)"


class ChromiumMissing(RuntimeError):
    """No chromium on this machine: the browser tests cannot run."""


def chromium_path() -> str | None:
    return os.environ.get("TOUZI_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")


def browser_required() -> bool:
    """In CI (or when asked), a missing chromium fails the browser tests instead of skipping them."""
    return bool(os.environ.get("CI") or os.environ.get("TOUZI_REQUIRE_BROWSER"))


@contextmanager
def browser_page() -> Iterator[Any]:
    path = chromium_path()
    if path is None:
        raise ChromiumMissing(MISSING)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(locale="zh-CN", viewport={"width": 1280, "height": 900})
            page.set_default_timeout(15000)
            # Anything the Content-Security-Policy blocks is a broken page: every browser test fails on it.
            blocked: list[str] = []
            page.on("console", lambda message: blocked.append(message.text)
                    if "Content Security Policy" in message.text else None)
            yield page
            assert not blocked, f"blocked by the Content-Security-Policy: {blocked}"
        finally:
            browser.close()


def sign_in(page: Any, base_url: str, username: str, password: str) -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("form.login button[type=submit]")
    page.wait_for_url(f"{base_url}/")
