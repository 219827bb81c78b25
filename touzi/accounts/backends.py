"""Authentication backends in front of Django's ModelBackend: lockout first, then the demo accounts."""

from __future__ import annotations

from typing import Any, cast

from axes.backends import AxesStandaloneBackend
from axes.exceptions import AxesBackendPermissionDenied
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from touzi.accounts.http import AnyUserRequest

LOCKED = _("账号或地址已锁定,拒绝登录")
DEMO_REFUSED = _("演示账号只能在演示模式下登录;正式环境请使用系统管理员创建的账号。")


class LockoutBackend(AxesStandaloneBackend):
    """Refuses a locked account or address before any password is checked.

    Code that authenticates without a request (the test client's login) is still held to the lock of the
    account: a blank request stands in for it.
    """

    def authenticate(self, request: HttpRequest | None, username: str | None = None,
                     password: str | None = None, **kwargs: Any) -> Any:
        # Our middleware's attributes are set on Django's request as it passes; typed as such for them.
        real = cast(AnyUserRequest, request if request is not None else HttpRequest())
        try:
            return super().authenticate(real, username=username, password=password, **kwargs)
        except AxesBackendPermissionDenied:
            real.touzi_audit_message = str(LOCKED)
            raise


class DemoAccountGuard:
    """Outside demo mode (touzi.core.demo_mode) the demo accounts, whose password is public, cannot sign in."""

    def authenticate(self, request: HttpRequest | None, username: str | None = None,
                     password: str | None = None, **kwargs: Any) -> None:
        if not username or password is None:
            return None
        from touzi.core.demo import DEMO_ACCOUNTS, DEMO_PASSWORD
        from touzi.core.demo_mode import demo_mode

        is_demo_account = password == DEMO_PASSWORD and username in {account.username for account in DEMO_ACCOUNTS}
        if is_demo_account and not demo_mode(request):
            if request is not None:
                cast(AnyUserRequest, request).touzi_audit_message = str(DEMO_REFUSED)
            raise PermissionDenied("demo account outside demo mode")
        return None
