"""What a signed-in user still has to do before using the platform: enter their one-time code, change an
expired or initial password, or enrol a TOTP device (administrators). Read on every request by the middleware."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from touzi.core.http import AnyUserRequest

if TYPE_CHECKING:
    from touzi.accounts.models import User


@dataclass(frozen=True)
class Step:
    key: str
    url_name: str
    message: Any  # lazy text: the user's language at the time it is shown


VERIFY = Step("verify", "otp-verify", _("请输入动态口令完成登录。"))
PASSWORD = Step("password", "password-change", _("您的密码已过期或是初始密码,请先修改密码。"))
ENROL = Step("enrol", "otp-setup", _("管理员账号须先绑定动态口令(双因素认证)后才能使用系统。"))


def password_expires_at(user: User) -> dt.datetime | None:
    days = settings.PASSWORD_MAX_AGE_DAYS
    if not days or user.password_changed_at is None:
        return None
    return user.password_changed_at + dt.timedelta(days=days)


def password_change_required(user: User) -> bool:
    if user.must_change_password:
        return True
    expires = password_expires_at(user)
    return expires is not None and expires <= timezone.now()


def otp_required(user: User) -> bool:
    return getattr(user, "role", None) in set(settings.OTP_REQUIRED_ROLES)


def confirmed_device(user: User) -> Any:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def pending_step(request: AnyUserRequest) -> Step | None:
    """The first step this session still owes, or None when the user may go anywhere their role allows."""
    if hasattr(request, "_touzi_pending_step"):  # worked out once per request
        return request._touzi_pending_step
    user = getattr(request, "user", None)
    step = None
    if user is not None and user.is_authenticated and getattr(user, "pk", None) is not None:
        verified = user.is_verified() if hasattr(user, "is_verified") else False
        has_device = verified or confirmed_device(user) is not None
        if has_device and not verified:
            step = VERIFY
        elif password_change_required(user):
            step = PASSWORD
        elif not has_device and otp_required(user):
            step = ENROL
    request._touzi_pending_step = step
    return step
