"""The sign-in guard of the demo accounts, in front of Django's ModelBackend (settings.AUTHENTICATION_BACKENDS)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from touzi.demo.accounts import DEMO_PASSWORD, DEMO_USERNAMES
from touzi.demo.mode import demo_mode

DEMO_REFUSED = _("演示账号只能在演示模式下登录;正式环境请使用系统管理员创建的账号。")


class DemoAccountGuard:
    """Outside demo mode (touzi.demo.mode) the demo accounts, whose password is public, cannot sign in."""

    def authenticate(self, request: HttpRequest | None, username: str | None = None,
                     password: str | None = None, **kwargs: Any) -> None:
        if not username or password is None:
            return None
        is_demo_account = password == DEMO_PASSWORD and username in DEMO_USERNAMES
        if is_demo_account and not demo_mode(request):
            if request is not None:
                request.touzi_audit_message = str(DEMO_REFUSED)  # type: ignore[attr-defined]
            raise PermissionDenied("demo account outside demo mode")
        return None
