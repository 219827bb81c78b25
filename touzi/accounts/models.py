from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from touzi.accounts.choices import UNIT_BOUND, Role


class User(AbstractUser):
    """用户: one person's account, with one role and the unit or work group that scopes it."""

    role = models.CharField(_("角色"), max_length=32, choices=Role.choices, default=Role.OWNER)
    unit = models.ForeignKey(
        "units.Unit", verbose_name=_("所在单位"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="users",
    )
    work_group = models.ForeignKey(
        "plans.WorkGroup", verbose_name=_("所在工作组"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="members",
    )
    display_name = models.CharField(_("姓名"), max_length=64, blank=True)
    # When the password was last set, for expiry (TOUZI_PASSWORD_MAX_AGE_DAYS); stamped by save().
    password_changed_at = models.DateTimeField(_("密码修改时间"), default=timezone.now)
    # An initial or reset password given by the system administrator: the user changes it at first sign-in.
    must_change_password = models.BooleanField(_("须修改密码"), default=False)

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")
        permissions = [("change_role", _("分配角色和权限"))]

    def __str__(self) -> str:
        return self.display_name or self.username

    # On request.user only: django_otp's OTPMiddleware sets it (whether this session entered a TOTP code).
    is_verified: Callable[[], bool]
    # AbstractBaseUser keeps a new raw password here until the save that stores it (not in django-stubs).
    _password: str | None

    def save(self, *args: Any, **kwargs: Any) -> None:
        # Django keeps the new raw password in _password until the save that stores it.
        if self._password is not None:
            self.password_changed_at = timezone.now()
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "password_changed_at"}
        super().save(*args, **kwargs)

    def clean(self) -> None:
        super().clean()
        if self.role in UNIT_BOUND and not self.unit_id:
            raise ValidationError({"unit": _("该角色必须指定所在单位")})
        if self.role == Role.SUBGROUP and not self.work_group_id:
            raise ValidationError({"work_group": _("专项工作组成员必须指定工作组")})


def _digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiToken(models.Model):
    """接口令牌: a bearer token for machine clients; only its hash is stored."""

    PREFIX = "tz_"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("用途"), max_length=64)
    key_prefix = models.CharField(_("前缀"), max_length=12)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("最近使用"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("吊销时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("接口令牌")
        verbose_name_plural = _("接口令牌")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.key_prefix}…)"

    @classmethod
    def new_secret(cls) -> str:
        return cls.PREFIX + secrets.token_urlsafe(32)

    @staticmethod
    def hash_of(raw: str) -> str:
        return _digest(raw)


class PasswordHistory(models.Model):
    """历史密码: the hash of a password a user had, so that the last few are not used again."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="password_history")
    password = models.CharField(max_length=128)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("历史密码")
        verbose_name_plural = _("历史密码")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.user_id} {self.created_at:%Y-%m-%d}"


class UserSession(models.Model):
    """登录会话: which session belongs to which user, so that disabling an account ends its sessions at once."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sessions")
    session_key = models.CharField(max_length=40, unique=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("登录会话")
        verbose_name_plural = _("登录会话")

    def __str__(self) -> str:
        return f"{self.user_id} {self.created_at:%Y-%m-%d %H:%M}"
