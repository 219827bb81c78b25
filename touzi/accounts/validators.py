"""Password rules of 等保 2.0 level 3: 3 of the 4 character classes, never the username, not a common password,
and none of the last few passwords again."""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import TYPE_CHECKING

from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

if TYPE_CHECKING:
    from touzi.accounts.models import User

CLASSES = (re.compile(r"[a-z]"), re.compile(r"[A-Z]"), re.compile(r"\d"), re.compile(r"[^A-Za-z0-9]"))
COMMON_PASSWORDS = Path(__file__).parent / "data" / "common-passwords.txt"


class CharacterClassValidator:
    """At least three of: lower case, upper case, digits, symbols."""

    def __init__(self, minimum: int = 3) -> None:
        self.minimum = minimum

    def validate(self, password: str, user: User | None = None) -> None:
        if sum(1 for pattern in CLASSES if pattern.search(password)) < self.minimum:
            raise ValidationError(_("密码须包含大写字母、小写字母、数字、符号中的至少%(n)s类") % {"n": self.minimum},
                                  code="password_classes")

    def get_help_text(self) -> str:
        return _("密码须包含大写字母、小写字母、数字、符号中的至少%(n)s类。") % {"n": self.minimum}


class NotUsernameValidator:
    """The password must not contain the username (in any case)."""

    def validate(self, password: str, user: User | None = None) -> None:
        username = getattr(user, "username", "") or ""
        if len(username) >= 3 and username.lower() in password.lower():
            raise ValidationError(_("密码不能包含用户名"), code="password_has_username")

    def get_help_text(self) -> str:
        return _("密码不能包含用户名。")


@functools.cache
def _common_passwords() -> frozenset[str]:
    lines = COMMON_PASSWORDS.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip().lower() for line in lines if line.strip() and not line.startswith("#"))


class CommonPasswordListValidator:
    """Not one of the common passwords that still pass the class rule (Django's list has few of them)."""

    def validate(self, password: str, user: User | None = None) -> None:
        if password.strip().lower() in _common_passwords():
            raise ValidationError(_("该密码过于常见,请换一个"), code="password_too_common")

    def get_help_text(self) -> str:
        return _("密码不能是常见密码。")


class PasswordHistoryValidator:
    """None of the last `count` passwords again; every password set through the app is remembered here."""

    def __init__(self, count: int = 5) -> None:
        self.count = count

    def _recent_hashes(self, user: User) -> list[str]:
        from touzi.accounts.models import PasswordHistory

        hashes = list(PasswordHistory.objects.filter(user=user).values_list("password", flat=True)[: self.count])
        # The current password counts even when it was set before the history was kept.
        if user.password and user.password not in hashes and user.has_usable_password():
            hashes = [user.password, *hashes][: self.count]
        return hashes

    def validate(self, password: str, user: User | None = None) -> None:
        if user is None or getattr(user, "pk", None) is None:
            return
        if any(check_password(password, encoded) for encoded in self._recent_hashes(user)):
            raise ValidationError(
                ngettext("不能使用最近%(n)s次用过的密码", "不能使用最近%(n)s次用过的密码", self.count) % {"n": self.count},
                code="password_reused")

    def password_changed(self, password: str, user: User | None = None) -> None:
        """Called by Django after a new password is saved: remember its hash, keep only the last few."""
        from touzi.accounts.models import PasswordHistory

        if user is None or user.pk is None or not user.has_usable_password():
            return
        PasswordHistory.objects.create(user=user, password=user.password)
        keep = PasswordHistory.objects.filter(user=user).values_list("id", flat=True)[: self.count]
        PasswordHistory.objects.filter(user=user).exclude(id__in=list(keep)).delete()

    def get_help_text(self) -> str:
        return _("不能使用最近%(n)s次用过的密码。") % {"n": self.count}
