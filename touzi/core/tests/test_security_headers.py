"""Every HTML page carries the security headers, and no template needs an exception to the strict CSP."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from touzi.core.security import CONTENT_SECURITY_POLICY
from touzi.testing import client_for

pytestmark = pytest.mark.django_db

EXPECTED = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
}


def _plain_urls(patterns=None, prefix: str = "") -> list[str]:
    """Every URL of the site without parameters (the pages a user reaches from the menu)."""
    found = []
    for item in patterns if patterns is not None else get_resolver().url_patterns:
        route = str(item.pattern)
        if isinstance(item, URLResolver):
            if "api/" in route:
                continue
            found += _plain_urls(item.url_patterns, prefix + route)
        elif isinstance(item, URLPattern) and "<" not in route and "(?P" not in route:
            found.append("/" + prefix + route.lstrip("^").rstrip("$"))
    return found


def _check(response) -> None:
    for header, value in EXPECTED.items():
        assert response.headers.get(header) == value, (response.request["PATH_INFO"], header)
    assert "camera=()" in response.headers["Permissions-Policy"]


def test_the_policy_is_strict() -> None:
    for part in ("default-src 'self'", "script-src 'self'", "style-src 'self'", "img-src 'self' data:",
                 "object-src 'none'", "frame-ancestors 'none'", "base-uri 'self'", "form-action 'self'"):
        assert part in CONTENT_SECURITY_POLICY
    assert "unsafe" not in CONTENT_SECURITY_POLICY and "http" not in CONTENT_SECURITY_POLICY


def test_every_html_page_carries_the_headers(olive, ada) -> None:
    checked = 0
    for user in (None, olive, ada):
        client = client_for(user)
        for url in _plain_urls():
            response = client.get(url)
            if response.get("Content-Type", "").startswith("text/html"):
                _check(response)
                checked += 1
    assert checked > 30


def test_error_pages_and_static_files_carry_them_too(olive, settings) -> None:
    settings.DEBUG = False
    _check(client_for(olive).get("/no-such-page/"))
    static = client_for(None).get("/static/touzi/touzi.css")
    assert static.headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    assert static.headers["X-Content-Type-Options"] == "nosniff"


_INLINE = [
    (re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", re.I), "inline <script>"),
    (re.compile(r"<style[\s>]", re.I), "<style> element"),
    (re.compile(r"\sstyle\s*=", re.I), "style attribute"),
    (re.compile(r"\son[a-z]+\s*=", re.I), "event handler attribute"),
    (re.compile(r"javascript:", re.I), "javascript: URL"),
    (re.compile(r"(src|href)=\"(https?:)?//", re.I), "asset from another site"),
]


def test_no_template_needs_unsafe_inline_or_another_site() -> None:
    root = Path(__file__).resolve().parents[2]
    problems = []
    for path in root.rglob("templates/**/*.html"):
        text = path.read_text(encoding="utf-8")
        problems += [f"{path.relative_to(root)}: {what}" for pattern, what in _INLINE if pattern.search(text)]
    assert problems == []


def test_the_language_cookie_is_same_site_http_only_and_secure_where_the_session_is(olive, settings) -> None:
    """Issue #12 (7): the language choice rides the settings of the session cookie (Secure in production)."""
    settings.LANGUAGE_COOKIE_SECURE = True  # as production sets it (test_deploy_settings checks that it does)
    response = client_for(olive).post("/i18n/setlang/", {"language": "en", "next": "/"})
    cookie = response.cookies[settings.LANGUAGE_COOKIE_NAME]
    assert cookie.value == "en" and cookie["samesite"] == "Lax" and cookie["httponly"] and cookie["secure"]
