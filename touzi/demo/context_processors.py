from __future__ import annotations

from django.http import HttpRequest

from touzi.demo.mode import demo_mode


def demo(request: HttpRequest) -> dict[str, bool]:
    """DEMO_MODE for every page: the banner (base.html) and the sign-in page's hint."""
    return {"DEMO_MODE": demo_mode(request)}
