"""Password rules of 等保 2.0 level 3: at least 3 of the 4 character classes, and never the username."""

from __future__ import annotations

import re
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

CLASSES = (re.compile(r"[a-z]"), re.compile(r"[A-Z]"), re.compile(r"\d"), re.compile(r"[^A-Za-z0-9]"))


class CharacterClassValidator:
    """At least three of: lower case, upper case, digits, symbols."""

    def __init__(self, minimum: int = 3) -> None:
        self.minimum = minimum

    def validate(self, password: str, user: Any = None) -> None:
        if sum(1 for pattern in CLASSES if pattern.search(password)) < self.minimum:
            raise ValidationError(_("密码须包含大写字母、小写字母、数字、符号中的至少%(n)s类") % {"n": self.minimum},
                                  code="password_classes")

    def get_help_text(self) -> str:
        return _("密码须包含大写字母、小写字母、数字、符号中的至少%(n)s类。") % {"n": self.minimum}


class NotUsernameValidator:
    """The password must not contain the username (in any case)."""

    def validate(self, password: str, user: Any = None) -> None:
        username = getattr(user, "username", "") or ""
        if len(username) >= 3 and username.lower() in password.lower():
            raise ValidationError(_("密码不能包含用户名"), code="password_has_username")

    def get_help_text(self) -> str:
        return _("密码不能包含用户名。")
