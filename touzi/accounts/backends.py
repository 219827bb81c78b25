"""Authentication backends in front of Django's ModelBackend: lockout first (the demo adds its own guard)."""

from __future__ import annotations

from typing import Any, cast

from axes.backends import AxesStandaloneBackend
from axes.exceptions import AxesBackendPermissionDenied
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from touzi.core.http import AnyUserRequest

LOCKED = _("账号或地址已锁定,拒绝登录")


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
